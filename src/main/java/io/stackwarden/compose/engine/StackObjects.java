package io.stackwarden.compose.engine;

import java.util.List;

/**
 * Everything {@code docker stack deploy} would create for one stack, in creation order
 * (networks, secrets, configs, services), each list sorted by engine name.
 *
 * <p>Network specs are {@code POST /networks/create} bodies; secret, config and service specs are
 * {@code SecretSpec}, {@code ConfigSpec} and {@code ServiceSpec}. Service specs reference secrets
 * and configs by name only: like the CLI, the apply step must look up their IDs and fill
 * {@code SecretID} / {@code ConfigID} (and a credential spec's {@code Config}) before sending.
 *
 * <p>The {@code external*} lists name the objects that must already exist: external networks the
 * services attach to (built-in ones such as {@code host} excluded, as the CLI does) and external
 * secrets/configs the services reference.
 */
public record StackObjects(
        List<StackObject> networks,
        List<StackObject> secrets,
        List<StackObject> configs,
        List<StackObject> services,
        List<String> externalNetworks,
        List<String> externalSecrets,
        List<String> externalConfigs) {

    public StackObjects {
        networks = List.copyOf(networks);
        secrets = List.copyOf(secrets);
        configs = List.copyOf(configs);
        services = List.copyOf(services);
        externalNetworks = List.copyOf(externalNetworks);
        externalSecrets = List.copyOf(externalSecrets);
        externalConfigs = List.copyOf(externalConfigs);
    }
}
