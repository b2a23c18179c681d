package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Service spec fields the Engine API learnt after Stackwarden's oldest engine. docker stack deploy sends them
 * whatever the engine, and an engine older than the field drops it without a word: its stored spec never has
 * it. A desired field the engine cannot store is therefore left out of the comparison (it is still sent), or a
 * stack using it would be updated on every reconcile. The versions are those the CLI gives the matching
 * {@code docker service create} flags.
 */
final class EngineFields {

    private record Field(String parent, String name, String since) {
    }

    private static final List<Field> NEWER = List.of(
            new Field("/TaskTemplate/ContainerSpec", "Init", "1.37"),
            new Field("/TaskTemplate/Placement", "MaxReplicas", "1.40"),
            new Field("/TaskTemplate/ContainerSpec", "Sysctls", "1.40"),
            new Field("/TaskTemplate/ContainerSpec", "CapabilityAdd", "1.41"),
            new Field("/TaskTemplate/ContainerSpec", "CapabilityDrop", "1.41"),
            new Field("/TaskTemplate/ContainerSpec", "Ulimits", "1.41"),
            new Field("/TaskTemplate/ContainerSpec/Healthcheck", "StartInterval", "1.44"),
            new Field("/TaskTemplate/ContainerSpec", "OomScoreAdj", "1.46"));

    private EngineFields() {
    }

    /**
     * A copy of {@code spec} without the fields an engine speaking {@code apiVersion} does not store; the spec
     * itself when the version is unknown (empty) or knows them all.
     */
    static ObjectNode storable(ObjectNode spec, String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            return spec;
        }
        ObjectNode copy = null;
        for (Field field : NEWER) {
            if (olderThan(apiVersion, field.since()) && spec.at(field.parent()).has(field.name())) {
                copy = copy == null ? spec.deepCopy() : copy;
                ((ObjectNode) copy.at(field.parent())).remove(field.name());
            }
        }
        return copy == null ? spec : copy;
    }

    /** Engine API versions are {@code major.minor}; a part that is not a number counts as 0. */
    static boolean olderThan(String version, String than) {
        String[] a = version.trim().split("\\.");
        String[] b = than.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? number(a[i]) : 0;
            int y = i < b.length ? number(b[i]) : 0;
            if (x != y) {
                return x < y;
            }
        }
        return false;
    }

    private static int number(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
