package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container this process runs in, as the engine behind the socket knows it (the engine of its own node when
 * it runs as a swarm service with the node's socket mounted), and the stack its labels name. Found by the container
 * ID in the process's own mounts (Docker bind-mounts {@code /var/lib/docker/containers/<id>/hostname} and friends),
 * else by the hostname, which Docker sets to the short ID unless the service sets its own.
 */
public final class OwnContainer {

    private static final Pattern MOUNTED_ID = Pattern.compile("/containers/([0-9a-f]{64})/");
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12,64}");

    private OwnContainer() {
    }

    /**
     * The stack of the container among {@code candidates} that the engine knows; empty when it knows none of them
     * (not in a container, or a container of another engine) or the container is of no stack.
     *
     * @throws EngineException when the engine does not answer
     */
    public static Optional<String> stack(EngineApi api, Set<String> candidates) {
        for (String id : candidates) {
            JsonNode container;
            try {
                container = api.get("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json");
            } catch (EngineException e) {
                if (e.isNotFound()) {
                    continue;
                }
                throw e;
            }
            String stack = container.path("Config").path("Labels").path("com.docker.stack.namespace").asText("");
            return stack.isEmpty() ? Optional.empty() : Optional.of(stack);
        }
        return Optional.empty();
    }

    /** The IDs this process's container may have, most certain first: from the mount table, then the hostname. */
    public static Set<String> candidates(String mountinfo, String hostname) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher mounted = MOUNTED_ID.matcher(mountinfo);
        while (mounted.find()) {
            ids.add(mounted.group(1));
        }
        if (SHORT_ID.matcher(hostname).matches()) {
            ids.add(hostname);
        }
        return ids;
    }
}
