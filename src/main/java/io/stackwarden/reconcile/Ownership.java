package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The labels by which Stackwarden knows its own objects (Flux-style ownership): only objects that
 * carry {@link #MANAGED_BY} are ever pruned. Beside them every object keeps docker/cli's own stack labels
 * ({@link io.stackwarden.compose.StackLabels}).
 */
public final class Ownership {

    /** Set on every object Stackwarden created or adopted. */
    public static final String MANAGED_BY = "io.stackwarden.managed-by";
    public static final String MANAGED_BY_VALUE = "stackwarden";
    /** The desired-state revision the object was last written from; never compared. */
    public static final String REVISION = "io.stackwarden.revision";
    /** The compose key of a content-named config or secret: all versions of one key carry it (see {@link ContentNames}). */
    public static final String OBJECT_KEY = "io.stackwarden.object-key";

    private Ownership() {
    }

    public static boolean owned(Map<String, String> labels) {
        return MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
    }

    /** Adds the ownership and revision labels to every object the stack will write. */
    public static TargetState labelled(TargetState target) {
        List<DesiredObject> objects = new ArrayList<>();
        for (DesiredObject object : target.objects()) {
            ObjectNode spec = object.spec().deepCopy();
            ObjectNode labels = spec.with("Labels");
            labels.put(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE);
            if (target.revision() != null && !target.revision().isEmpty()) {
                labels.put(Ownership.REVISION, target.revision());
            }
            objects.add(new DesiredObject(object.kind(), object.name(), spec));
        }
        return new TargetState(target.stack(), target.revision(), objects, target.externals());
    }

}
