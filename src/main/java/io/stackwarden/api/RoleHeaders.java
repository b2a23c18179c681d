package io.stackwarden.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Every API answer says which replica gave it: {@code X-Stackwarden-Role: leader|standby} and the leader it knows. */
public class RoleHeaders {

    @Inject
    LeaderForward leader;

    @ServerResponseFilter
    public void add(ContainerResponseContext response) {
        leader.roleHeaders().forEach((name, value) -> {
            if (!response.getHeaders().containsKey(name)) {
                response.getHeaders().putSingle(name, value);
            }
        });
    }
}
