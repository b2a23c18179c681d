package io.stackwarden.swarm;

import java.util.List;

/**
 * A running task and its addresses on the overlay networks it is attached to (the ingress network left out).
 *
 * @param addresses IP addresses without prefix length, in the order of the task's network attachments
 */
public record TaskAddresses(String id, String serviceId, String nodeId, List<String> addresses) {

    public TaskAddresses {
        addresses = List.copyOf(addresses);
    }
}
