package io.stackwarden.reconcile;

import io.stackwarden.desired.IgnorableField;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Service fields a stack may leave to someone else (an autoscaler, a person scaling by hand): the
 * live value is copied into the desired spec, so the field never counts as a difference.
 */
public final class IgnoredFields {

    /** The spec fields each name users write in {@code ignore:} stands for. */
    private static List<String> pointers(IgnorableField field) {
        return switch (field) {
            case REPLICAS -> List.of("/Mode/Replicated/Replicas");
            case ENV -> List.of("/TaskTemplate/ContainerSpec/Env");
            case RESOURCES -> List.of("/TaskTemplate/Resources");
        };
    }

    private IgnoredFields() {
    }

    static void keepLive(ObjectNode desired, ObjectNode live, Set<String> ignore) {
        for (String name : ignore) {
            for (String pointer : IgnorableField.of(name).map(IgnoredFields::pointers).orElse(List.of())) {
                copy(desired, live, pointer);
            }
        }
    }

    private static void copy(ObjectNode desired, ObjectNode live, String pointer) {
        JsonNode value = live.at(pointer);
        int slash = pointer.lastIndexOf('/');
        String parentPointer = pointer.substring(0, slash);
        String field = pointer.substring(slash + 1);
        JsonNode parent = parentPointer.isEmpty() ? desired : desired.at(parentPointer);
        if (parent instanceof ObjectNode object) {
            if (value.isMissingNode()) {
                object.remove(field);
            } else {
                object.set(field, value.deepCopy());
            }
        }
    }
}
