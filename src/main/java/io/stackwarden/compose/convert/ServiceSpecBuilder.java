package io.stackwarden.compose.convert;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.compose.engine.StackObjects;
import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.ImageReference;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One compose service to the {@code ServiceSpec} {@code docker stack deploy} sends. Keys the CLI
 * ignores in swarm mode (build, container_name, devices, privileged, tmpfs, network_mode, ...)
 * are ignored here too. Secrets and configs are referenced by name; see {@link StackObjects}.
 */
final class ServiceSpecBuilder {


    private final Namespace namespace;
    private final JsonNode model;

    ServiceSpecBuilder(Namespace namespace, JsonNode model) {
        this.namespace = namespace;
        this.model = model;
    }

    /** The spec plus the external secrets/configs it needs. */
    record Built(StackObject service, Set<String> externalSecrets, Set<String> externalConfigs) {
    }

    Built build(String key, JsonNode service) {
        String where = "service " + key + ": ";
        if (!service.isObject()) {
            throw new ConvertException(where + "expected a mapping");
        }
        JsonNode deploy = Fields.object(service, "deploy", where);
        String deployAt = where + "deploy.";

        // Same order of checks as the CLI: secrets, configs, then the rest of the spec.
        FileReferences.Result secrets = FileReferences.secrets(service.get("secrets"), model.get("secrets"), namespace, where);
        ConfigRefs configs = configReferences(service, where);

        ObjectNode spec = Json.object();
        spec.put("Name", namespace.scope(key));
        ObjectNode labels = Labels.withStack(namespace, Fields.stringMap(deploy, "labels", deployAt));
        String image = Fields.textOr(service, "image", where, "");
        labels.put(StackLabels.IMAGE, image);
        spec.set("Labels", labels);

        ObjectNode task = spec.putObject("TaskTemplate");
        ObjectNode container = task.putObject("ContainerSpec");
        // The label keeps the file's text; the spec gets the form the CLI's client sends (tagged, familiar).
        Json.putIfNotEmpty(container, "Image", ImageReference.engineForm(image));
        container.set("Labels", Labels.withStack(namespace, Fields.stringMap(service, "labels", where)));
        Json.putIfNotEmpty(container, "Command", command(service, "entrypoint", where));
        Json.putIfNotEmpty(container, "Args", command(service, "command", where));
        Json.putIfNotEmpty(container, "Hostname", Fields.text(service, "hostname", where));
        Json.putIfNotEmpty(container, "Env", environment(service, where));
        Json.putIfNotEmpty(container, "Dir", Fields.text(service, "working_dir", where));
        Json.putIfNotEmpty(container, "User", Fields.text(service, "user", where));
        container.set("Privileges", privileges(service, configs.references(), where));
        Boolean init = Fields.boolOrNull(service, "init", where);
        if (init != null) {
            container.put("Init", init);
        }
        Json.putIfNotEmpty(container, "StopSignal", Fields.text(service, "stop_signal", where));
        Json.putIfTrue(container, "TTY", Fields.bool(service, "tty", where));
        Json.putIfTrue(container, "OpenStdin", Fields.bool(service, "stdin_open", where));
        Json.putIfTrue(container, "ReadOnly", Fields.bool(service, "read_only", where));
        ArrayNode mounts = MountConverter.convert(service.get("volumes"), model.get("volumes"), namespace, where);
        putIfNotEmpty(container, "Mounts", mounts);
        Json.putIfSet(container, "StopGracePeriod", Durations.nanos(service, "stop_grace_period", where));
        ObjectNode healthcheck = Healthchecks.convert(Fields.object(service, "healthcheck", where), where + "healthcheck.");
        if (healthcheck != null) {
            container.set("Healthcheck", healthcheck);
        }
        Json.putIfNotEmpty(container, "Hosts", extraHosts(service, where));
        ObjectNode dns = dnsConfig(service, where);
        if (dns != null) {
            container.set("DNSConfig", dns);
        }
        putIfNotEmpty(container, "Secrets", secrets.references());
        putIfNotEmpty(container, "Configs", configs.references());
        Json.putIfNotEmpty(container, "Isolation", Fields.text(service, "isolation", where));
        Json.putIfNotEmpty(container, "Sysctls", Fields.stringMap(service, "sysctls", where));
        Capabilities caps = Capabilities.effective(Fields.strings(service, "cap_add", where),
                Fields.strings(service, "cap_drop", where));
        Json.putIfNotEmpty(container, "CapabilityAdd", caps.add());
        Json.putIfNotEmpty(container, "CapabilityDrop", caps.drop());
        putIfNotEmpty(container, "Ulimits", ulimits(service, where));
        Json.putIfNotZero(container, "OomScoreAdj", Fields.integer(service, "oom_score_adj", where));

        task.set("Resources", DeployConverter.resources(deploy, where));
        ObjectNode restart = DeployConverter.restartPolicy(deploy, Fields.text(service, "restart", where), where);
        if (restart != null) {
            task.set("RestartPolicy", restart);
        }
        task.set("Placement", DeployConverter.placement(deploy, where));
        putIfNotEmpty(task, "Networks",
                NetworkConverter.attachments(service.get("networks"), model.get("networks"), namespace, key, where));
        JsonNode logging = Fields.object(service, "logging", where);
        if (logging != null) {
            ObjectNode driver = task.putObject("LogDriver");
            Json.putIfNotEmpty(driver, "Name", Fields.text(logging, "driver", where + "logging."));
            Json.putIfNotEmpty(driver, "Options", Fields.stringMap(logging, "options", where + "logging."));
        }

        spec.set("Mode", DeployConverter.mode(deploy, deployAt));
        ObjectNode update = DeployConverter.updateConfig(deploy, "update_config", deployAt);
        if (update != null) {
            spec.set("UpdateConfig", update);
        }
        ObjectNode rollback = DeployConverter.updateConfig(deploy, "rollback_config", deployAt);
        if (rollback != null) {
            spec.set("RollbackConfig", rollback);
        }
        spec.set("EndpointSpec", endpointSpec(service, deploy, where));

        return new Built(new StackObject(key, namespace.scope(key), spec, true), secrets.externalNames(), configs.externals());
    }

    private record ConfigRefs(ArrayNode references, Set<String> externals) {
    }

    /** File configs plus, for a credential spec taken from a config, a runtime reference to it. */
    private ConfigRefs configReferences(JsonNode service, String where) {
        FileReferences.Result files = FileReferences.configs(service.get("configs"), model.get("configs"), namespace, where);
        Set<String> externals = new TreeSet<>(files.externalNames());
        JsonNode credentialSpec = Fields.object(service, "credential_spec", where);
        String config = Fields.textOr(credentialSpec, "config", where + "credential_spec.", "");
        if (config.isEmpty()) {
            return new ConfigRefs(files.references(), externals);
        }
        JsonNode declared = FileReferences.lookup(model.get("configs"), config, "config", where + "credential_spec.");
        String name = External.engineName(declared, config, namespace, "configs." + config + ": ");
        if (External.of(declared, "configs." + config + ": ").external()) {
            externals.add(name);
        }
        List<ObjectNode> all = new ArrayList<>();
        files.references().forEach(r -> all.add((ObjectNode) r));
        ObjectNode runtime = Json.object();
        runtime.putObject("Runtime");
        runtime.put("ConfigName", name);
        all.add(runtime);
        all.sort(java.util.Comparator.comparing(r -> r.get("ConfigName").asText()));
        ArrayNode references = Json.array();
        all.forEach(references::add);
        return new ConfigRefs(references, externals);
    }

    /**
     * Privileges are always sent. A credential spec may name one of config, file or registry; a
     * config is given by its engine name here, the apply step swaps in the ID as the CLI does.
     */
    private ObjectNode privileges(JsonNode service, ArrayNode configs, String where) {
        ObjectNode privileges = Json.object();
        JsonNode spec = Fields.object(service, "credential_spec", where);
        String at = where + "credential_spec.";
        String config = Fields.textOr(spec, "config", at, "");
        String file = Fields.textOr(spec, "file", at, "");
        String registry = Fields.textOr(spec, "registry", at, "");
        List<String> set = new ArrayList<>();
        if (!config.isEmpty()) {
            set.add("config");
        }
        if (!file.isEmpty()) {
            set.add("file");
        }
        if (!registry.isEmpty()) {
            set.add("registry");
        }
        if (set.size() > 1) {
            throw new ConvertException(where + "credential_spec: invalid credential spec: cannot specify more than one of " + set);
        }
        if (set.size() == 1) {
            ObjectNode credentialSpec = privileges.putObject("CredentialSpec");
            String configName = "";
            if (!config.isEmpty()) {
                configName = runtimeConfigName(configs, config);
            }
            credentialSpec.put("Config", configName);
            credentialSpec.put("File", file);
            credentialSpec.put("Registry", registry);
        }
        privileges.put("NoNewPrivileges", false);
        return privileges;
    }

    private String runtimeConfigName(ArrayNode configs, String config) {
        for (JsonNode reference : configs) {
            if (reference.has("Runtime")) {
                return reference.get("ConfigName").asText();
            }
        }
        throw new IllegalStateException("runtime config reference missing for " + config);
    }

    private static List<String> command(JsonNode service, String key, String where) {
        JsonNode node = service.get(key);
        if (node != null && node.isTextual()) {
            return ShellWords.split(node.textValue(), where + key + ": ");
        }
        return Fields.strings(service, key, where);
    }

    /** {@code K=V} entries sorted as strings; a key without value (null) stays a bare {@code K}. */
    static List<String> environment(JsonNode service, String where) {
        JsonNode node = service.get("environment");
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                entries.add(item.asText());
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode value = entry.getValue();
                if (value.isNull()) {
                    entries.add(entry.getKey());
                } else if (value.isValueNode()) {
                    entries.add(entry.getKey() + "=" + value.asText());
                } else {
                    throw new ConvertException(where + "environment." + entry.getKey() + ": expected a string");
                }
            }
        } else {
            throw new ConvertException(where + "environment: expected a mapping");
        }
        entries.sort(null);
        return entries;
    }

    /** {@code host:ip} (split at the first colon) becomes swarm's {@code "ip host"}; entries without a colon are dropped. */
    static List<String> extraHosts(JsonNode service, String where) {
        JsonNode node = service.get("extra_hosts");
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> hosts = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> hosts.add(e.getValue().asText() + " " + e.getKey()));
            return hosts;
        }
        for (String entry : Fields.strings(service, "extra_hosts", where)) {
            int colon = entry.indexOf(':');
            if (colon >= 0) {
                hosts.add(entry.substring(colon + 1) + " " + entry.substring(0, colon));
            }
        }
        return hosts;
    }

    /** Present as soon as dns or dns_search is set; dns_opt is not part of the CLI's model. */
    private static ObjectNode dnsConfig(JsonNode service, String where) {
        List<String> servers = Fields.strings(service, "dns", where);
        List<String> search = Fields.strings(service, "dns_search", where);
        if (servers == null && search == null) {
            return null;
        }
        ObjectNode dns = Json.object();
        Json.putIfNotEmpty(dns, "Nameservers", servers);
        Json.putIfNotEmpty(dns, "Search", search);
        return dns;
    }

    /** A single number sets soft and hard; sorted by name. */
    private static ArrayNode ulimits(JsonNode service, String where) {
        JsonNode node = Fields.object(service, "ulimits", where);
        ArrayNode result = Json.array();
        if (node == null) {
            return result;
        }
        Map<String, long[]> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = where + "ulimits." + entry.getKey();
            JsonNode value = entry.getValue();
            long soft;
            long hard;
            if (value.isIntegralNumber()) {
                soft = value.longValue();
                hard = soft;
            } else if (value.isObject()) {
                Long single = Fields.integer(value, "single", at + ".");
                if (single != null && single != 0) {
                    soft = single;
                    hard = single;
                } else {
                    Long s = Fields.integer(value, "soft", at + ".");
                    Long h = Fields.integer(value, "hard", at + ".");
                    soft = s == null ? 0 : s;
                    hard = h == null ? 0 : h;
                }
            } else {
                throw new ConvertException(at + ": expected a number or {soft, hard}");
            }
            sorted.put(entry.getKey(), new long[] {soft, hard});
        }
        sorted.forEach((name, limits) -> result.addObject()
                .put("Name", name).put("Hard", limits[1]).put("Soft", limits[0]));
        return result;
    }

    private static ObjectNode endpointSpec(JsonNode service, JsonNode deploy, String where) {
        ObjectNode endpoint = Json.object();
        String mode = Fields.textOr(deploy, "endpoint_mode", where + "deploy.", "");
        Json.putIfNotEmpty(endpoint, "Mode", mode.toLowerCase(java.util.Locale.ROOT));
        ArrayNode ports = Json.array();
        PortConverter.convert(service.get("ports"), where).forEach(p -> ports.add(p.toJson()));
        putIfNotEmpty(endpoint, "Ports", ports);
        return endpoint;
    }

    private static void putIfNotEmpty(ObjectNode target, String field, ArrayNode values) {
        if (values != null && !values.isEmpty()) {
            target.set(field, values);
        }
    }
}
