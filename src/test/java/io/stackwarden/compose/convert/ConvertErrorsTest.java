package io.stackwarden.compose.convert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.stackwarden.compose.convert.Models.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the CLI refuses during conversion, with a message naming the service and key. */
class ConvertErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'image':'x','networks':['nope']}"
            + " | service web: networks: undefined network \"nope\"",
        "{'image':'x','secrets':['nope']}"
            + " | service web: secrets: undefined secret \"nope\"",
        "{'image':'x','configs':[{'source':'nope'}]}"
            + " | service web: configs: undefined config \"nope\"",
        "{'image':'x','volumes':[{'type':'bind','target':'/a'}]}"
            + " | service web: volumes: target \"/a\": invalid bind source, source cannot be empty",
        "{'image':'x','volumes':[{'type':'tmpfs','source':'a','target':'/a'}]}"
            + " | service web: volumes: target \"/a\": invalid tmpfs source, source must be empty",
        "{'image':'x','volumes':[{'type':'bind','source':'/a','target':'/a','volume':{'nocopy':true}}]}"
            + " | service web: volumes: target \"/a\": volume options are incompatible with type bind",
        "{'image':'x','volumes':[{'type':'weird','source':'/a','target':'/a'}]}"
            + " | service web: volumes: target \"/a\": invalid type \"weird\": volume type must be volume, bind, tmpfs, npipe, or cluster",
        "{'image':'x','stop_grace_period':'10x'}"
            + " | service web: stop_grace_period: unknown unit \"x\" in duration \"10x\"",
        "{'image':'x','deploy':{'update_config':{'delay':'soon'}}}"
            + " | service web: deploy.update_config.delay: invalid duration \"soon\"",
        "{'image':'x','deploy':{'resources':{'limits':{'memory':'12zb'}}}}"
            + " | service web: deploy.resources.limits.memory: invalid suffix \"zb\" in size \"12zb\"",
        "{'image':'x','deploy':{'resources':{'limits':{'cpus':'0.0000000001'}}}}"
            + " | service web: deploy.resources.limits.cpus: invalid cpus \"0.0000000001\": value is too precise",
        "{'image':'x','ports':['70000:80']}"
            + " | service web: ports: invalid port or range \"70000\" in \"70000:80\"",
        "{'image':'x','ports':[{'target':0}]}"
            + " | service web: ports: invalid target port 0 in {\"target\":0}",
        "{'image':'x','ports':['8000-8002:80-81']}"
            + " | service web: ports: invalid ranges for container and host ports in \"8000-8002:80-81\"",
        "{'image':'x','deploy':{'mode':'global','replicas':2}}"
            + " | service web: deploy.replicas: can only be used with replicated or replicated-job mode",
        "{'image':'x','deploy':{'mode':'daemon'}}"
            + " | service web: deploy.mode: unknown mode \"daemon\" (replicated, global, replicated-job or global-job)",
        "{'image':'x','restart':'sometimes'}"
            + " | service web: restart: unknown restart policy: sometimes",
        "{'image':'x','restart':'on-failure:x'}"
            + " | service web: restart: invalid restart policy format: maximum retry count must be an integer",
        "{'image':'x','healthcheck':{'disable':true,'test':['CMD','true']}}"
            + " | service web: healthcheck.test and disable can't be set at the same time",
        "{'image':'x','secrets':['a',{'source':'b','target':'a'}]}"
            + " | service web: duplicate secret target for s_b not allowed",
        "{'image':'x','credential_spec':{'file':'a','registry':'b'}}"
            + " | service web: credential_spec: invalid credential spec: cannot specify more than one of [file, registry]",
    })
    void refused(String service, String message) {
        String model = "{'services':{'web':" + service + "},'secrets':{'a':{'file':'/a'},'b':{'file':'/b'}}}";
        ConvertException e = assertThrows(ConvertException.class,
                () -> StackConverter.convert("s", json(model), Models.files(java.util.Map.of("/a", "a", "/b", "b"))));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void unreadableSecretFileIsNamed() {
        ConvertException e = assertThrows(ConvertException.class, () -> Models.convert("s",
                json("{'services':{},'secrets':{'k':{'file':'/missing'}}}")));
        assertEquals("secrets.k: cannot read its file: /missing", e.getMessage());
    }
}
