package io.stackwarden.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link NodeEngine} over the Engine API of the agent's own node ({@code /var/run/docker.sock}). */
public final class DockerNodeEngine implements NodeEngine {

    /** Marks the helper containers, so they can be found and cleaned up by hand. */
    public static final String HELPER_LABEL = "io.stackwarden.agent-helper";
    private static final int HELPER_OUTPUT_LIMIT = 4096;

    private final EngineApi api;
    private final String nodeId;
    private final String image;

    private DockerNodeEngine(EngineApi api, String nodeId, String image) {
        this.api = api;
        this.nodeId = nodeId;
        this.image = image;
    }

    /**
     * Connects to the node's engine and finds the agent's own container by its task ID, for the image the helper
     * containers run (the agent's own, by image ID: it is on this node already, no pull needed).
     */
    public static DockerNodeEngine connect(EngineApi api, String ownTaskId) {
        String nodeId = api.get("/info").path("Swarm").path("NodeID").asText("");
        if (nodeId.isEmpty()) {
            throw new IllegalStateException("the engine is not part of a swarm");
        }
        JsonNode own = api.get("/containers/json?filters=" + filter("label", NodeActions.TASK_LABEL + "=" + ownTaskId));
        if (own.size() != 1) {
            throw new IllegalStateException("no container of task " + ownTaskId + " on this node: STACKWARDEN_AGENT_TASK_ID must be"
                    + " the agent's own task ({{.Task.ID}})");
        }
        return new DockerNodeEngine(api, nodeId, own.get(0).path("ImageID").asText());
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /**
     * From the container list, not {@code GET /containers/{id}/json}: inspecting takes the container's lock, which the
     * engine's own stop of a stuck container holds for good (the stop waits on the stopped shim), so it would hang.
     */
    @Override
    public Optional<Container> container(String id) {
        // The id filter matches prefixes; only the exact ID counts.
        return list("all=1&filters=" + filter("id", id)).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    @Override
    public List<Container> containersLabelled(String labelKey) {
        return list("all=1&filters=" + filter("label", labelKey));
    }

    private List<Container> list(String query) {
        List<Container> containers = new ArrayList<>();
        for (JsonNode item : api.get("/containers/json?" + query)) {
            String state = item.path("State").asText("");
            containers.add(new Container(item.path("Id").asText(), labels(item.path("Labels")), state.equals("running"), state));
        }
        return containers;
    }

    @Override
    public void remove(String id) {
        try {
            api.delete("/containers/" + id + "?force=1");
        } catch (EngineException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * Swarm services cannot use the host's PID namespace, so a plain container of this node does: the agent's own
     * image running {@code shim-kill}, with no network, every capability dropped but KILL, and AppArmor off for it
     * (docker's default profile lets a container signal only its own kind, and a shim is unconfined). As uid 0: the
     * image's user (10001) would get no effective capability at all, and the shim is root's.
     */
    @Override
    public HelperRun killShim(String containerId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Image", image);
        body.putArray("Cmd").add("shim-kill").add(containerId);
        body.put("User", "0");
        body.putObject("Labels").put(HELPER_LABEL, "shim-kill");
        ObjectNode host = body.putObject("HostConfig");
        host.put("PidMode", "host");
        host.put("NetworkMode", "none");
        host.putArray("CapDrop").add("ALL");
        host.putArray("CapAdd").add("KILL");
        host.putArray("SecurityOpt").add("apparmor=unconfined");
        host.putObject("LogConfig").put("Type", "json-file");
        String helper = api.post("/containers/create?name=stackwarden-shim-kill-" + containerId.substring(0, 12) + "-"
                + Long.toString(System.nanoTime(), 36), body).path("Id").asText();
        try {
            api.post("/containers/" + helper + "/start", null);
            int exit = api.post("/containers/" + helper + "/wait", null).path("StatusCode").asInt(-1);
            return new HelperRun(exit, output(helper));
        } finally {
            remove(helper);
        }
    }

    /** The helper's stdout and stderr: the engine's log stream, each frame an 8-byte header and its payload. */
    private String output(String helper) {
        StringBuilder text = new StringBuilder();
        try (InputStream in = api.stream("/containers/" + helper + "/logs?stdout=1&stderr=1")) {
            byte[] header;
            while ((header = in.readNBytes(8)).length == 8 && text.length() < HELPER_OUTPUT_LIMIT) {
                int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                text.append(new String(in.readNBytes(Math.min(size, HELPER_OUTPUT_LIMIT)), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            text.append("(output unreadable: ").append(e.getMessage()).append(')');
        }
        return text.toString();
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        return labels;
    }

    private static String filter(String name, String value) {
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        filters.putArray(name).add(value);
        return URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8);
    }
}
