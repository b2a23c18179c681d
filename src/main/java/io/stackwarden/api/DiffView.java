package io.stackwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.reconcile.Action;
import io.stackwarden.reconcile.SpecCanonicalizer;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sync would change, field by field. Secret data never appears: a secret's changed data is
 * reported as changed, with both values masked.
 */
public record DiffView(String stack, boolean inSync, List<Change> changes) {

    /** One write a sync would make. */
    public record Change(String action, String kind, String name, List<Field> fields) {
    }

    /** One differing field: its JSON pointer in the Engine API spec and both values. */
    public record Field(String path, JsonNode live, JsonNode desired) {
    }

    static final String MASK = "<secret data masked>";

    public static DiffView of(String stack, List<Action> actions) {
        List<Change> changes = new ArrayList<>();
        for (Action action : actions) {
            List<Field> fields = new ArrayList<>();
            if (action.type() == Action.Type.UPDATE) {
                JsonNode live = canonical(action.kind(), action.live().orElseThrow().spec());
                JsonNode desired = canonical(action.kind(), action.spec().orElseThrow());
                for (String path : action.changes()) {
                    fields.add(masked(action.kind(), path, live.at(path), desired.at(path)));
                }
            }
            changes.add(new Change(action.type().name().toLowerCase(), action.kind().toString(), action.name(), fields));
        }
        return new DiffView(stack, changes.isEmpty(), changes);
    }

    private static JsonNode canonical(SwarmObject.Kind kind, JsonNode spec) {
        return kind == SwarmObject.Kind.SERVICE ? SpecCanonicalizer.service(spec) : SpecCanonicalizer.data(spec);
    }

    private static Field masked(SwarmObject.Kind kind, String path, JsonNode live, JsonNode desired) {
        if (kind == SwarmObject.Kind.SECRET && path.startsWith("/Data")) {
            com.fasterxml.jackson.databind.node.TextNode mask = com.fasterxml.jackson.databind.node.TextNode.valueOf(MASK);
            return new Field(path, mask, mask);
        }
        return new Field(path, live.isMissingNode() ? null : live, desired.isMissingNode() ? null : desired);
    }
}
