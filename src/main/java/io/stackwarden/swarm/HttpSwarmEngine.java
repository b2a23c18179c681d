package io.stackwarden.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link SwarmEngine} over the Engine HTTP API. */
public final class HttpSwarmEngine implements SwarmEngine {

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
}
