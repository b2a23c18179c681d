package io.stackwarden.compose;

import io.stackwarden.compose.SchemaRules.Arr;
import io.stackwarden.compose.SchemaRules.B;
import io.stackwarden.compose.SchemaRules.Obj;
import io.stackwarden.compose.SchemaRules.OneOf;
import io.stackwarden.compose.SchemaRules.Rule;
import io.stackwarden.compose.SchemaRules.Scalar;
import io.stackwarden.compose.SchemaRules.T;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.stackwarden.compose.SchemaRules.fmt;
import static io.stackwarden.compose.SchemaRules.map;
import static io.stackwarden.compose.SchemaRules.nullable;
import static io.stackwarden.compose.SchemaRules.obj;
import static io.stackwarden.compose.SchemaRules.s;

/**
 * The rules of docker/cli's compose schema (file formats 3.0 to 3.13) as tables: which keys exist at
 * each level and since which version, their types, and the formats checked (durations, port specs).
 * {@link SchemaCheck} walks a file against {@link #ROOT}.
 */
final class ComposeSchema {

    private ComposeSchema() {
    }

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9._-]+$");
    private static final Pattern ANY = Pattern.compile("^.+$");
    private static final Pattern ULIMIT = Pattern.compile("^[a-z]+$");

    private static final Rule STRING = s(T.STRING);
    private static final Rule INTEGER = s(T.INTEGER);
    private static final Rule NUMBER = s(T.NUMBER);
    private static final Rule BOOLEAN = s(T.BOOLEAN);
    private static final Rule DURATION = fmt("duration", T.STRING);
    private static final Rule LIST_OF_STRINGS = new Arr(STRING, true);
    private static final Rule STRING_OR_LIST = new OneOf(List.of(STRING, LIST_OF_STRINGS));
    private static final Rule LIST_OR_DICT = new OneOf(List.of(
            map(ANY, s(T.STRING, T.NUMBER, T.NULL)), new Arr(STRING, true)));
    private static final Rule STRING_OR_NUMBER_MAP = new Obj(Map.of(), ANY, s(T.STRING, T.NUMBER), null, true,
            false, List.of());

    private static final Rule UPDATE_CONFIG = obj()
            .p("parallelism", INTEGER).p("delay", DURATION).p("failure_action", STRING)
            .p("monitor", DURATION).p("max_failure_ratio", NUMBER)
            .p("order", new Scalar(List.of(T.STRING), null, List.of("start-first", "stop-first"), null), "3.4")
            .closed();

    private static final Rule DEPLOY = nullable(obj()
            .p("mode", STRING).p("endpoint_mode", STRING, "3.2").p("replicas", INTEGER).p("labels", LIST_OR_DICT)
            .p("rollback_config", UPDATE_CONFIG, "3.7").p("update_config", UPDATE_CONFIG)
            .p("resources", obj()
                    .p("limits", obj().p("cpus", STRING).p("memory", STRING).p("pids", INTEGER, "3.9").closed())
                    .p("reservations", obj().p("cpus", STRING).p("memory", STRING)
                            .p("generic_resources", new Arr(obj()
                                    .p("discrete_resource_spec", obj().p("kind", STRING).p("value", NUMBER).closed())
                                    .closed(), false), "3.5")
                            .closed())
                    .closed())
            .p("restart_policy", obj().p("condition", STRING).p("delay", DURATION).p("max_attempts", INTEGER)
                    .p("window", DURATION).closed())
            .p("placement", obj().p("constraints", new Arr(STRING, false))
                    .p("preferences", new Arr(obj().p("spread", STRING).closed(), false), "3.3")
                    .p("max_replicas_per_node", INTEGER, "3.8").closed())
            .closed());

    private static final Rule FILE_REFERENCE = new OneOf(List.of(STRING, obj()
            .p("source", STRING).p("target", STRING).p("uid", STRING).p("gid", STRING).p("mode", NUMBER).open()));

    private static final Rule HEALTHCHECK = obj()
            .p("disable", BOOLEAN).p("interval", DURATION).p("retries", NUMBER)
            .p("test", new OneOf(List.of(STRING, new Arr(STRING, false))))
            .p("timeout", DURATION).p("start_period", DURATION, "3.4").p("start_interval", DURATION, "3.12")
            .closed();

    private static final Rule COMMAND = new OneOf(List.of(STRING, new Arr(STRING, false)));

    private static final Rule SERVICE_VOLUME = new OneOf(List.of(STRING, new Obj(new B()
            .p("type", STRING).p("source", STRING).p("target", STRING).p("read_only", BOOLEAN)
            .p("consistency", STRING).p("bind", obj().p("propagation", STRING).open())
            .p("volume", obj().p("nocopy", BOOLEAN).open())
            .p("tmpfs", obj().p("size", new Scalar(List.of(T.INTEGER), null, null, 0L)).open(), "3.6").props,
            null, null, null, false, false, List.of("type"))));

    private static final Rule SERVICE = obj()
            .p("deploy", DEPLOY)
            .p("build", new OneOf(List.of(STRING, obj()
                    .p("context", STRING).p("dockerfile", STRING).p("args", LIST_OR_DICT)
                    .p("labels", LIST_OR_DICT, "3.3").p("cache_from", LIST_OF_STRINGS, "3.2")
                    .p("network", STRING, "3.4").p("target", STRING, "3.4")
                    .p("shm_size", s(T.INTEGER, T.STRING), "3.5").p("extra_hosts", LIST_OR_DICT, "3.9")
                    .closed())))
            .p("cap_add", new Arr(STRING, true)).p("cap_drop", new Arr(STRING, true))
            .p("cgroupns_mode", STRING, "3.9").p("cgroup_parent", STRING)
            .p("command", COMMAND)
            .p("configs", new Arr(FILE_REFERENCE, false), "3.3")
            .p("container_name", STRING)
            .p("credential_spec", obj().p("config", STRING, "3.8").p("file", STRING).p("registry", STRING).closed(),
                    "3.3")
            .p("depends_on", LIST_OF_STRINGS)
            .p("devices", new Arr(STRING, true))
            .p("dns", STRING_OR_LIST).p("dns_search", STRING_OR_LIST)
            .p("domainname", STRING)
            .p("entrypoint", COMMAND)
            .p("env_file", STRING_OR_LIST)
            .p("environment", LIST_OR_DICT)
            .p("expose", new Arr(s(T.STRING, T.NUMBER), true))
            .p("external_links", new Arr(STRING, true))
            .p("extra_hosts", LIST_OR_DICT)
            .p("healthcheck", HEALTHCHECK)
            .p("hostname", STRING)
            .p("image", STRING)
            .p("init", BOOLEAN, "3.7")
            .p("ipc", STRING)
            .p("isolation", STRING, "3.5")
            .p("labels", LIST_OR_DICT)
            .p("links", new Arr(STRING, true))
            .p("logging", obj().p("driver", STRING)
                    .p("options", map(ANY, s(T.STRING, T.NUMBER, T.NULL))).closed())
            .p("mac_address", STRING)
            .p("network_mode", STRING)
            .p("networks", new OneOf(List.of(LIST_OF_STRINGS, map(NAME, new OneOf(List.of(obj()
                    .p("aliases", LIST_OF_STRINGS).p("driver_opts", STRING_OR_NUMBER_MAP, "3.13")
                    .p("ipv4_address", STRING).p("ipv6_address", STRING).closed(), s(T.NULL)))))))
            .p("pid", s(T.STRING, T.NULL))
            .p("ports", new Arr(new OneOf(List.of(fmt("ports", T.NUMBER), fmt("ports", T.STRING), obj()
                    .p("mode", STRING).p("target", INTEGER).p("published", INTEGER).p("protocol", STRING)
                    .closed())), true))
            .p("privileged", BOOLEAN)
            .p("read_only", BOOLEAN)
            .p("restart", STRING)
            .p("security_opt", new Arr(STRING, true))
            .p("shm_size", s(T.NUMBER, T.STRING))
            .p("secrets", new Arr(FILE_REFERENCE, false), "3.1")
            .p("sysctls", LIST_OR_DICT)
            .p("stdin_open", BOOLEAN)
            .p("stop_grace_period", DURATION)
            .p("stop_signal", STRING)
            .p("tmpfs", STRING_OR_LIST)
            .p("tty", BOOLEAN)
            .p("ulimits", new Obj(Map.of(), ULIMIT, new OneOf(List.of(INTEGER, new Obj(new B()
                    .p("hard", INTEGER).p("soft", INTEGER).props, null, null, null, false, false,
                    List.of("soft", "hard")))), null, true, false, List.of()))
            .p("oom_score_adj", INTEGER, "3.13")
            .p("user", STRING)
            .p("userns_mode", STRING)
            .p("volumes", new Arr(SERVICE_VOLUME, false))
            .p("working_dir", STRING)
            .closedX("3.7");

    private static final Rule EXTERNAL_CLOSED = new OneOf(List.of(BOOLEAN, obj().p("name", STRING).closed()));
    private static final Rule EXTERNAL_OPEN = new OneOf(List.of(BOOLEAN, obj().p("name", STRING).open()));

    private static final Rule NETWORK = nullable(obj()
            .p("name", STRING, "3.5").p("driver", STRING).p("driver_opts", STRING_OR_NUMBER_MAP)
            .p("ipam", obj().p("driver", STRING)
                    .p("config", new Arr(obj().p("subnet", STRING).closed(), false)).closed())
            .p("external", EXTERNAL_CLOSED).p("internal", BOOLEAN).p("attachable", BOOLEAN, "3.2")
            .p("labels", LIST_OR_DICT)
            .closedX("3.7"));

    private static final Rule SEGMENTS = new Arr(obj().p("segments", LIST_OR_DICT).open(), false);

    private static final Rule VOLUME = nullable(obj()
            .p("name", STRING, "3.4").p("driver", STRING).p("driver_opts", STRING_OR_NUMBER_MAP)
            .p("external", EXTERNAL_CLOSED).p("labels", LIST_OR_DICT)
            .p("x-cluster-spec", obj().p("group", STRING)
                    .p("access_mode", obj().p("scope", STRING).p("sharing", STRING)
                            .p("block_volume", obj().open())
                            .p("mount_volume", obj().p("fs_type", STRING).p("mount_flags", new Arr(STRING, false))
                                    .open()).open())
                    .p("accessibility_requirements", obj().p("requisite", SEGMENTS).p("preferred", SEGMENTS).open())
                    .p("capacity_range", obj().p("required_bytes", STRING).p("limit_bytes", STRING).open())
                    .p("availability", STRING)
                    .open(), "3.10")
            .closedX("3.7"));

    private static final Rule SECRET = obj()
            .p("name", STRING, "3.5").p("file", STRING).p("external", EXTERNAL_OPEN).p("labels", LIST_OR_DICT)
            .p("driver", STRING, "3.8").p("driver_opts", STRING_OR_NUMBER_MAP, "3.8")
            .p("template_driver", STRING, "3.8")
            .closedX("3.7");

    private static final Rule CONFIG = obj()
            .p("name", STRING, "3.5").p("file", STRING).p("external", EXTERNAL_OPEN).p("labels", LIST_OR_DICT)
            .p("template_driver", STRING, "3.8")
            .closedX("3.7");

    static final Obj ROOT = new Obj(new B()
            .p("version", STRING)
            .p("services", map(NAME, SERVICE))
            .p("networks", new Obj(Map.of(), NAME, NETWORK, null, true, false, List.of()))
            .p("volumes", map(NAME, VOLUME))
            .p("secrets", map(NAME, SECRET), "3.1")
            .p("configs", map(NAME, CONFIG), "3.3").props,
            null, null, "3.4", false, false, List.of());
}
