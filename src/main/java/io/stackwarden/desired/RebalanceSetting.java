package io.stackwarden.desired;

import io.stackwarden.compose.ServiceExtension;
import io.stackwarden.compose.engine.StackObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which services of a stack are spread again over their nodes when a node returns ({@code rebalance} in
 * {@code stackwarden.yaml}): {@code true} all, {@code false} none (the default), or a list of service names as the
 * compose file names them. A service's own {@code x-stackwarden: {rebalance: ...}} overrides it either way.
 */
public record RebalanceSetting(boolean all, Set<String> services) {

    public static final RebalanceSetting OFF = new RebalanceSetting(false, Set.of());
    public static final RebalanceSetting ALL = new RebalanceSetting(true, Set.of());

    public RebalanceSetting {
        services = Set.copyOf(services);
    }

    /** {@code true}, {@code false} or a list of names; anything else is refused, naming {@code where}. */
    static RebalanceSetting parse(Object value, String where) {
        if (value instanceof Boolean on) {
            return on ? ALL : OFF;
        }
        if (value instanceof List<?> names) {
            Set<String> services = new TreeSet<>();
            for (Object name : names) {
                if (!(name instanceof String text) || text.isBlank()) {
                    throw new IllegalArgumentException(where + " must be true, false or a list of service names");
                }
                services.add(text);
            }
            return new RebalanceSetting(false, services);
        }
        throw new IllegalArgumentException(where + " must be true, false or a list of service names");
    }

    /** Whether the service (by its compose name) opted in, its own extension first. */
    public boolean includes(String service, ServiceExtension extension) {
        return extension.rebalance().orElse(all || services.contains(service));
    }

    /** The engine names of the stack's services that opted in. */
    public Set<String> of(List<StackObject> services, Map<String, ServiceExtension> extensions) {
        Set<String> names = new TreeSet<>();
        for (StackObject service : services) {
            if (includes(service.key(), extensions.getOrDefault(service.key(), ServiceExtension.NONE))) {
                names.add(service.name());
            }
        }
        return names;
    }
}
