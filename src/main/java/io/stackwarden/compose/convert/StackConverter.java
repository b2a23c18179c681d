package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts a loaded compose model (the JSON shape of docker/cli's {@code types.Config}) into the
 * engine objects {@code docker stack deploy} (CLI 28.2) would create for stack {@code namespace}.
 *
 * <p>Unlike the CLI, which creates networks and secrets before it finds an error in a service,
 * everything is converted first: a {@link ConvertException} means nothing should be applied.
 * Nothing Stackwarden-specific is added here (own labels, digest pinning): that is the apply step's.
 */
public final class StackConverter {

    private StackConverter() {
    }

    public static StackObjects convert(String namespace, JsonNode model, ContentReader files) {
        Objects.requireNonNull(files, "files");
        if (namespace == null || namespace.isEmpty()) {
            throw new ConvertException("the stack name must not be empty");
        }
        if (model == null || !model.isObject()) {
            throw new ConvertException("the compose model must be a mapping");
        }
        Namespace ns = new Namespace(namespace);
        JsonNode services = Fields.object(model, "services", "");

        NetworkConverter.Result networks = NetworkConverter.convert(
                ns, Fields.object(model, "networks", ""), NetworkConverter.usedNetworks(services));
        var secrets = FileObjectConverter.convert(
                FileObjectConverter.Kind.SECRET, ns, Fields.object(model, "secrets", ""), files);
        var configs = FileObjectConverter.convert(
                FileObjectConverter.Kind.CONFIG, ns, Fields.object(model, "configs", ""), files);

        ServiceSpecBuilder builder = new ServiceSpecBuilder(ns, model);
        List<StackObject> specs = new ArrayList<>();
        Set<String> externalSecrets = new TreeSet<>();
        Set<String> externalConfigs = new TreeSet<>();
        for (String key : Fields.keys(services)) {
            ServiceSpecBuilder.Built built = builder.build(key, services.get(key));
            specs.add(built.service());
            externalSecrets.addAll(built.externalSecrets());
            externalConfigs.addAll(built.externalConfigs());
        }
        checkNames("services", specs, SwarmNames::serviceOrNetworkProblem);
        checkNames("networks", networks.networks(), SwarmNames::serviceOrNetworkProblem);
        checkFileObjectNames("secrets", secrets);
        checkFileObjectNames("configs", configs);
        // Scoped names share the stack prefix, so sorting by key is sorting by name.
        return new StackObjects(networks.networks(), secrets, configs, specs, networks.externalNames(),
                List.copyOf(externalSecrets), List.copyOf(externalConfigs));
    }

    private static void checkNames(String section, List<StackObject> objects, Function<String, Optional<String>> rule) {
        for (StackObject object : objects) {
            rule.apply(object.name()).ifPresent(problem -> {
                String key = SwarmNames.cut(object.key());
                String where = section.equals("services") ? "service " + key : section + "." + key;
                throw new ConvertException(where + ": the name " + SwarmNames.shown(object.name())
                        + " is refused by Swarm: " + problem);
            });
        }
    }

    /**
     * A config or secret with its own {@code name:} is written under that name. A stack-scoped one is written
     * under a content name, {@code <stack>_<key>} cut to fit 64 characters with a hash appended
     * (reconcile.ContentNames): only its characters can be wrong.
     */
    private static void checkFileObjectNames(String section, List<StackObject> objects) {
        checkNames(section, objects.stream().filter(o -> !o.scoped()).toList(), SwarmNames::configOrSecretProblem);
        checkNames(section, objects.stream().filter(StackObject::scoped).toList(), name ->
                SwarmNames.charactersFitConfigOrSecret(name) ? Optional.empty() : Optional.of(SwarmNames.BAD_CONFIG_OR_SECRET));
    }
}
