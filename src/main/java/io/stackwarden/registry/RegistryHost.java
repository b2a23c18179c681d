package io.stackwarden.registry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@code auths} entry serves a registry, by the CLI's rules: the key equal to the registry, else a key
 * whose host (scheme and path dropped, {@code https://host:port/v2/} is {@code host:port}) equals it, port
 * included. Docker Hub is {@code docker.io}; its credentials are stored under {@code https://index.docker.io/v1/}
 * by {@code docker login}, and keys whose host is {@code docker.io} or {@code index.docker.io} name it too.
 */
public final class RegistryHost {

    /** The key {@code docker login} writes for Docker Hub. */
    static final String HUB_KEY = "https://index.docker.io/v1/";
    static final String HUB = "docker.io";
    private static final Set<String> HUB_HOSTS = Set.of(HUB, "index.docker.io");

    private RegistryHost() {
    }

    /** The credentials for {@code registry} ({@code host[:port]} or {@code docker.io}), if any entry matches. */
    public static Optional<RegistryAuth> find(Map<String, RegistryAuth> auths, String registry) {
        String wanted = registry.toLowerCase(java.util.Locale.ROOT);
        boolean hub = HUB_HOSTS.contains(wanted);
        RegistryAuth exact = auths.get(hub ? HUB_KEY : registry);
        if (exact != null) {
            return Optional.of(exact);
        }
        // Sorted keys: which of two matching entries wins must not depend on the file's order.
        return auths.keySet().stream().sorted()
                .filter(key -> {
                    String host = hostOf(key);
                    return hub ? HUB_HOSTS.contains(host) : host.equals(wanted);
                })
                .findFirst().map(auths::get);
    }

    /** {@code https://host:port/v1/} as {@code host:port}, in lower case. */
    static String hostOf(String key) {
        String host = key.strip();
        for (String scheme : new String[] {"http://", "https://"}) {
            if (host.regionMatches(true, 0, scheme, 0, scheme.length())) {
                host = host.substring(scheme.length());
            }
        }
        int slash = host.indexOf('/');
        return (slash < 0 ? host : host.substring(0, slash)).toLowerCase(java.util.Locale.ROOT);
    }
}
