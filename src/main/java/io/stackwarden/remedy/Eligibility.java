package io.stackwarden.remedy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.swarm.NodeInfo;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The nodes Swarm may give a service's tasks, judged from the node list the way Swarm's scheduler filters them:
 * ready and active, every placement constraint met ({@code node.id}, {@code node.hostname}, {@code node.role},
 * {@code node.platform.os}, {@code node.platform.arch}, {@code node.labels.*}, {@code engine.labels.*}; values
 * compared ignoring case, {@code ==} and {@code !=}), and one of the service's platforms (if it names any). Resources
 * and ports are not judged: a node that lacks them counts as eligible, and Swarm still leaves it out.
 */
final class Eligibility {

    private static final String NODE_LABELS = "node.labels.";
    private static final String ENGINE_LABELS = "engine.labels.";

    private Eligibility() {
    }

    /** One placement constraint, {@code key == value} or {@code key != value}, the key as written. */
    record Constraint(String key, boolean equal, String value) {

        /** Parsed as Swarm does: the first operator found splits it; empty when it has none or no key. */
        static Optional<Constraint> parse(String expression) {
            for (String operator : List.of("==", "!=")) {
                int at = expression.indexOf(operator);
                if (at >= 0) {
                    String key = expression.substring(0, at).strip();
                    return key.isEmpty() ? Optional.empty()
                            : Optional.of(new Constraint(key, operator.equals("=="), expression.substring(at + 2).strip()));
                }
            }
            return Optional.empty();
        }

        /** An unknown key matches no node, whatever the operator, as in Swarm. */
        boolean matches(NodeInfo node) {
            return valueOf(node).map(actual -> value.equalsIgnoreCase(actual) == equal).orElse(false);
        }

        /** What the node has for the key; "" when it has nothing, so {@code ==} fails and {@code !=} holds. */
        private Optional<String> valueOf(NodeInfo node) {
            NodeInfo.Placement placement = node.placement();
            String lower = key.toLowerCase(Locale.ROOT);
            return Optional.ofNullable(switch (lower) {
                case "node.id" -> node.id();
                case "node.hostname" -> node.hostname();
                case "node.role" -> node.manager() ? "manager" : "worker";
                case "node.platform.os" -> placement.os();
                case "node.platform.arch" -> placement.architecture();
                default -> lower.startsWith(NODE_LABELS) && lower.length() > NODE_LABELS.length()
                        ? placement.labels().getOrDefault(key.substring(NODE_LABELS.length()), "")
                        : lower.startsWith(ENGINE_LABELS) && lower.length() > ENGINE_LABELS.length()
                        ? placement.engineLabels().getOrDefault(key.substring(ENGINE_LABELS.length()), "")
                        : null;
            });
        }

        /** Whether it names one node: {@code node.hostname==} or {@code node.id==}. */
        boolean pinsOneNode() {
            String lower = key.toLowerCase(Locale.ROOT);
            return equal && (lower.equals("node.hostname") || lower.equals("node.id"));
        }
    }

    /** The schedulable nodes that meet the service's constraints and platforms. */
    static List<NodeInfo> of(SwarmObject service, List<NodeInfo> nodes) {
        JsonNode placement = service.spec().path("TaskTemplate").path("Placement");
        List<Constraint> constraints = new ArrayList<>();
        for (JsonNode expression : placement.path("Constraints")) {
            Optional<Constraint> constraint = Constraint.parse(expression.asText(""));
            if (constraint.isEmpty()) {
                return List.of(); // Swarm refuses such a service; no node is known to fit
            }
            constraints.add(constraint.get());
        }
        return nodes.stream().filter(NodeInfo::schedulable)
                .filter(node -> constraints.stream().allMatch(constraint -> constraint.matches(node)))
                .filter(node -> platformFits(placement.path("Platforms"), node))
                .toList();
    }

    /** The constraint that names one node ({@code node.hostname==} or {@code node.id==}), if any. */
    static Optional<String> pinnedBy(SwarmObject service) {
        for (JsonNode expression : service.spec().path("TaskTemplate").path("Placement").path("Constraints")) {
            Optional<Constraint> constraint = Constraint.parse(expression.asText(""));
            if (constraint.isPresent() && constraint.get().pinsOneNode()) {
                return Optional.of(expression.asText());
            }
        }
        return Optional.empty();
    }

    /** No platforms: any node; else one whose OS and architecture (x86_64 is amd64, aarch64 is arm64) match one of them. */
    private static boolean platformFits(JsonNode platforms, NodeInfo node) {
        if (!platforms.isArray() || platforms.isEmpty()) {
            return true;
        }
        String os = node.placement().os();
        String architecture = switch (node.placement().architecture()) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> node.placement().architecture();
        };
        for (JsonNode platform : platforms) {
            String wantedArchitecture = platform.path("Architecture").asText("");
            String wantedOs = platform.path("OS").asText("");
            if ((wantedArchitecture.isEmpty() || wantedArchitecture.equals(architecture))
                    && (wantedOs.isEmpty() || wantedOs.equals(os))) {
                return true;
            }
        }
        return false;
    }
}
