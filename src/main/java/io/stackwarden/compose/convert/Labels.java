package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Labels with the stack's {@code com.docker.stack.namespace} label added: the CLI puts it on every
 * object it creates, and later finds the stack's objects (and prunes them) by it.
 */
final class Labels {

    private Labels() {
    }

    static ObjectNode withStack(Namespace namespace, Map<String, String> labels) {
        Map<String, String> all = new TreeMap<>();
        if (labels != null) {
            all.putAll(labels);
        }
        all.put(StackLabels.NAMESPACE, namespace.name());
        return Json.stringMap(all);
    }
}
