package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link SwarmEngine} over the Engine HTTP API. */
public final class HttpSwarmEngine implements SwarmEngine, SwarmNodes, TaskPlacement {

    /** The engine's stop grace period when a service sets none. */
    private static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private final EngineApi api;

    public HttpSwarmEngine(EngineApi api) {
        this.api = api;
    }

    @Override
    public EngineInfo info() {
        JsonNode version = api.get("/version");
        JsonNode info = api.get("/info");
        JsonNode swarm = info.path("Swarm");
        return new EngineInfo(
                version.path("Version").asText(""),
                version.path("ApiVersion").asText(""),
                swarm.path("NodeID").asText(""),
                info.path("Name").asText(""),
                swarm.path("LocalNodeState").asText(""),
                swarm.path("ControlAvailable").asBoolean(false));
    }

    @Override
    public String apiVersion() {
        return api.get("/version").path("ApiVersion").asText("");
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind, String labelKey, String labelValue) {
        return objects(kind, filter("label", labelKey + "=" + labelValue));
    }

    @Override
    public List<SwarmObject> list(SwarmObject.Kind kind) {
        return objects(kind, null);
    }

    @Override
    public Optional<SwarmObject> find(SwarmObject.Kind kind, String name) {
        // The engine's name filter matches substrings; keep exact matches only.
        return objects(kind, filter("name", name)).stream()
                .filter(object -> object.name().equals(name))
                .findFirst();
    }

    @Override
    public Optional<SwarmObject> inspect(SwarmObject.Kind kind, String id) {
        JsonNode item;
        try {
            item = api.get(collection(kind) + "/" + encode(id));
        } catch (EngineException e) {
            if (e.isGone()) {
                return Optional.empty();
            }
            throw e;
        }
        SwarmObject object = kind == SwarmObject.Kind.NETWORK ? network(item) : versioned(kind, item);
        // The engine also answers for a name or an ID prefix; only the exact ID counts.
        return object.id().equals(id) ? Optional.of(object) : Optional.empty();
    }

    /** @param filters the engine's {@code filters} parameter, or null for all objects */
    private List<SwarmObject> objects(SwarmObject.Kind kind, String filters) {
        JsonNode answer = api.get(collection(kind) + (filters == null ? "" : "?filters=" + encode(filters)));
        List<SwarmObject> objects = new ArrayList<>();
        for (JsonNode item : answer) {
            objects.add(kind == SwarmObject.Kind.NETWORK ? network(item) : versioned(kind, item));
        }
        return objects;
    }

    private static SwarmObject versioned(SwarmObject.Kind kind, JsonNode item) {
        ObjectNode spec = item.path("Spec").isObject() ? (ObjectNode) item.get("Spec") : JsonNodeFactory.instance.objectNode();
        return new SwarmObject(kind, item.path("ID").asText(), spec.path("Name").asText(),
                item.path("Version").path("Index").asLong(), labels(spec.path("Labels")), spec, item);
    }

    /** Networks have no spec in their inspect output: the create-request fields stand in for it. */
    private static SwarmObject network(JsonNode item) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("Name", "Driver", "Scope", "Internal", "Attachable", "Ingress", "EnableIPv6",
                "IPAM", "Options", "Labels", "ConfigOnly", "ConfigFrom")) {
            if (item.has(field)) {
                spec.set(field, item.get(field));
            }
        }
        return new SwarmObject(SwarmObject.Kind.NETWORK, item.path("Id").asText(), item.path("Name").asText(), 0,
                labels(item.path("Labels")), spec, item);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        return labels;
    }

    @Override
    public String create(SwarmObject.Kind kind, ObjectNode body, Optional<String> registryAuth) {
        JsonNode answer = api.post(collection(kind) + "/create", body, authHeader(registryAuth));
        return answer.path(kind == SwarmObject.Kind.NETWORK ? "Id" : "ID").asText();
    }

    @Override
    public void update(SwarmObject.Kind kind, String id, long version, ObjectNode spec, Optional<String> registryAuth) {
        if (kind == SwarmObject.Kind.NETWORK) {
            throw new IllegalArgumentException("networks cannot be updated");
        }
        api.post(collection(kind) + "/" + encode(id) + "/update?version=" + version, spec, authHeader(registryAuth));
    }

    @Override
    public void remove(SwarmObject.Kind kind, String id) {
        try {
            api.delete(collection(kind) + "/" + encode(id));
        } catch (EngineException e) {
            if (!e.isGone()) {
                throw e;
            }
        }
    }

    @Override
    public List<TaskInfo> tasks(String service) {
        return tasks(List.of(service));
    }

    /** One call: the engine's {@code service} filter takes several values (any of them matches). */
    @Override
    public List<TaskInfo> tasks(Collection<String> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        ArrayNode ids = filters.putArray("service");
        services.forEach(ids::add);
        List<TaskInfo> tasks = new ArrayList<>();
        for (JsonNode task : api.get("/tasks?filters=" + encode(filters.toString()))) {
            JsonNode status = task.path("Status");
            tasks.add(new TaskInfo(task.path("ID").asText(), task.path("ServiceID").asText(), task.path("NodeID").asText(),
                    task.path("Slot").asText(""), task.path("DesiredState").asText(), status.path("State").asText(),
                    status.path("Err").asText(""), status.path("ContainerStatus").path("ContainerID").asText(""),
                    Timestamps.parse(status.path("Timestamp").asText(""))));
        }
        return tasks;
    }

    @Override
    public List<NodeInfo> nodes() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (JsonNode node : api.get("/nodes")) {
            JsonNode manager = node.path("ManagerStatus");
            JsonNode platform = node.at("/Description/Platform");
            nodes.add(new NodeInfo(node.path("ID").asText(), node.at("/Description/Hostname").asText(""),
                    "manager".equals(node.at("/Spec/Role").asText()), manager.path("Leader").asBoolean(false),
                    node.at("/Status/State").asText(""), node.at("/Spec/Availability").asText(""),
                    manager.path("Reachability").asText(""),
                    new NodeInfo.Placement(labels(node.at("/Spec/Labels")), labels(node.at("/Description/Engine/Labels")),
                            platform.path("OS").asText(""), platform.path("Architecture").asText(""))));
        }
        return nodes;
    }

    @Override
    public List<StoppingTask> stopping() {
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        filters.putArray("desired-state").add("shutdown").add("remove");
        List<StoppingTask> tasks = new ArrayList<>();
        for (JsonNode task : api.get("/tasks?filters=" + encode(filters.toString()))) {
            JsonNode container = task.at("/Spec/ContainerSpec");
            tasks.add(new StoppingTask(task.path("ID").asText(), task.path("ServiceID").asText(), task.path("NodeID").asText(""),
                    task.at("/Status/ContainerStatus/ContainerID").asText(""), task.path("DesiredState").asText(),
                    task.at("/Status/State").asText(""), labels(container.path("Labels")),
                    container.has("StopGracePeriod") ? Duration.ofNanos(container.path("StopGracePeriod").asLong())
                            : DEFAULT_STOP_GRACE));
        }
        return tasks;
    }

    @Override
    public List<TaskAddresses> running(Collection<String> serviceIds) {
        if (serviceIds.isEmpty()) {
            return List.of();
        }
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        ArrayNode ids = filters.putArray("service");
        serviceIds.forEach(ids::add);
        filters.putArray("desired-state").add("running");
        List<TaskAddresses> tasks = new ArrayList<>();
        for (JsonNode task : api.get("/tasks?filters=" + encode(filters.toString()))) {
            if (!"running".equals(task.at("/Status/State").asText())) {
                continue;
            }
            List<String> addresses = new ArrayList<>();
            for (JsonNode attachment : task.path("NetworksAttachments")) {
                if (!attachment.at("/Network/Spec/Ingress").asBoolean(false)) {
                    attachment.path("Addresses").forEach(address -> addresses.add(address.asText().replaceFirst("/.*", "")));
                }
            }
            tasks.add(new TaskAddresses(task.path("ID").asText(), task.path("ServiceID").asText(), task.path("NodeID").asText(),
                    addresses));
        }
        return tasks;
    }

    /** {@code Status.Addr}; a manager may show {@code 0.0.0.0} there, and then its raft address tells. */
    @Override
    public Map<String, String> nodeAddresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (JsonNode node : api.get("/nodes")) {
            String address = node.at("/Status/Addr").asText("");
            if (address.isEmpty() || address.equals("0.0.0.0")) {
                address = node.at("/ManagerStatus/Addr").asText("").replaceFirst(":[0-9]+$", "");
            }
            addresses.put(node.path("ID").asText(), address);
        }
        return addresses;
    }

    @Override
    public ImageDistribution distribution(String image, Optional<String> registryAuth) {
        return ImageDistribution.of(api.get("/distribution/" + image + "/json", authHeader(registryAuth)));
    }

    private static Map<String, String> authHeader(Optional<String> registryAuth) {
        return registryAuth.map(value -> Map.of("X-Registry-Auth", value)).orElse(Map.of());
    }

    private static String collection(SwarmObject.Kind kind) {
        return "/" + kind + "s";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The engine's {@code filters} parameter: a JSON map of filter name to accepted values. */
    private static String filter(String name, String value) {
        ObjectNode filters = JsonNodeFactory.instance.objectNode();
        filters.putArray(name).add(value);
        return filters.toString();
    }
}
