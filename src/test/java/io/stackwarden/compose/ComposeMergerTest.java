package io.stackwarden.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.desired.DesiredState;
import io.stackwarden.desired.DesiredStateReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The merge rules of {@code docker stack deploy -c a -c b} (docker/cli 28.2.2, mergo with override and appended
 * slices plus the CLI's transformers), each on two models as {@link ModelTransform} writes them. The rules were
 * found different by the parity suite's {@code merge-*} cases.
 */
class ComposeMergerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** The service {@code s} of the two models merged; each model's services are given as JSON with ' for ". */
    private static JsonNode merged(String first, String second) throws Exception {
        return ComposeMerger.merge(List.of(model(first), model(second))).at("/services/s");
    }

    private static ObjectNode model(String service) throws Exception {
        return (ObjectNode) JSON.readTree("{\"version\":\"3.8\",\"services\":{\"s\":" + service.replace('\'', '"') + "}}");
    }

    private static List<String> targets(JsonNode list) {
        return list.findValues("target").stream().map(JsonNode::asText).toList();
    }

    @Test
    void keyedListsOfALaterFileAreTakenAsWrittenWhenTheFirstFileHasNone() throws Exception {
        JsonNode s = merged("{'image':'a'}", "{'ports':[{'target':6000},{'target':6001}],"
                + "'volumes':[{'type':'bind','source':'/srv/z','target':'/z'},{'type':'bind','source':'/srv/a','target':'/a'}]}");
        assertEquals(List.of("6000", "6001"), targets(s.get("ports"))); // no collapse on published 0
        assertEquals(List.of("/z", "/a"), targets(s.get("volumes"))); // order kept
    }

    @Test
    void keyedListsOfBothFilesMergeByKeyAndSortAsBefore() throws Exception {
        JsonNode s = merged("{'ports':[{'target':80,'published':8080},{'target':9000},{'target':9001}]}",
                "{'ports':[{'target':81,'published':8080},{'target':80,'published':8000}]}");
        assertEquals(List.of("9001", "80", "81"), targets(s.get("ports")));
    }

    @Test
    void anEmptyLabelOrSysctlValueOfALaterFileWins() throws Exception {
        JsonNode s = merged("{'labels':{'a':'base','b':'base'},'sysctls':{'x':'1'},'deploy':{'labels':{'c':'base'}}}",
                "{'labels':{'a':''},'sysctls':{'x':''},'deploy':{'labels':{'c':'','d':'0s'}}}");
        assertEquals("{\"a\":\"\",\"b\":\"base\"}", s.get("labels").toString());
        assertEquals("{\"x\":\"\"}", s.get("sysctls").toString());
        assertEquals("{\"c\":\"\",\"d\":\"0s\"}", s.at("/deploy/labels").toString());
    }

    @Test
    void anEnvironmentValueIsReplacedOnlyByANonEmptyOneUnlessItWasEmptyOrUnset() throws Exception {
        JsonNode env = merged("{'environment':{'set':'base','kept':'base','unset':'base','empty':'','bare':null,'e2':''}}",
                "{'environment':{'set':'new','kept':'','unset':null,'empty':'new','bare':'new','e2':null,'added':null}}")
                .get("environment");
        assertEquals("new", env.get("set").asText());
        assertEquals("base", env.get("kept").asText());
        assertEquals("base", env.get("unset").asText());
        assertEquals("new", env.get("empty").asText());
        assertEquals("new", env.get("bare").asText());
        assertEquals(true, env.get("e2").isNull()); // an empty value takes the later file's valueless one
        assertEquals(true, env.get("added").isNull());
    }

    @Test
    void loggingOptionsOfALaterFileAreLostWhenTheFirstFileHasNoneForTheSameDriver() throws Exception {
        assertFalse(merged("{'logging':{'driver':'json-file'}}", "{'logging':{'options':{'max-size':'5m'}}}")
                .get("logging").has("options"));
        assertEquals("{\"driver\":\"json-file\",\"options\":{\"max-size\":\"5m\",\"max-file\":\"3\"}}",
                merged("{'logging':{'driver':'json-file','options':{'max-size':'1m','max-file':'3'}}}",
                        "{'logging':{'options':{'max-size':'5m'}}}").get("logging").toString());
        assertEquals("{\"driver\":\"none\"}", merged("{'logging':{'driver':'json-file','options':{'max-size':'1m'}}}",
                "{'logging':{'driver':'none'}}").get("logging").toString()); // another driver replaces the whole
    }

    @Test
    void anEmptyServiceNetworkConfigClearsTheAliasesANullOneKeepsThem() throws Exception {
        JsonNode networks = merged("{'networks':{'a':{'aliases':['x']},'b':{'aliases':['y']},'c':{'aliases':['z']}}}",
                "{'networks':{'a':{},'b':null,'c':{'aliases':['w']}}}").get("networks");
        assertEquals("{}", networks.get("a").toString());
        assertEquals("[\"y\"]", networks.at("/b/aliases").toString());
        assertEquals("[\"w\"]", networks.at("/c/aliases").toString());
    }

    @Test
    void aUlimitOfALaterFileReplacesTheWholeLimitZeroIncluded() throws Exception {
        JsonNode ulimits = merged("{'ulimits':{'nproc':100,'nofile':{'soft':1,'hard':2},'core':5}}",
                "{'ulimits':{'nproc':0,'nofile':{'hard':3}}}").get("ulimits");
        assertEquals("{\"core\":5,\"nofile\":{\"hard\":3},\"nproc\":0}", ulimits.toString());
    }

    @Test
    void relativePathsOfEveryFileResolveAgainstTheFirstFilesFolder() throws Exception {
        Path stack = Files.createDirectories(root.resolve("web"));
        Path deploy = Files.createDirectories(stack.resolve("deploy"));
        Files.writeString(root.resolve("stackwarden.yaml"), "stacks: {web: {files: [deploy/compose.yaml, compose.prod.yaml]}}\n");
        Files.writeString(deploy.resolve("compose.yaml"), "services: {app: {image: app, env_file: [app.env]}}\n");
        Files.writeString(stack.resolve("compose.prod.yaml"),
                "services: {app: {env_file: [prod.env], volumes: ['./data:/data']}}\n");
        Files.writeString(deploy.resolve("app.env"), "A=1\n");
        Files.writeString(deploy.resolve("prod.env"), "B=2\n");
        DesiredState state = new DesiredStateReader().read(root);
        JsonNode app = new ComposeLoader().load(state.stack("web").orElseThrow().input(state.root(), Map.of()))
                .config().at("/services/app");
        assertEquals("{\"A\":\"1\",\"B\":\"2\"}", app.get("environment").toString());
        assertEquals(deploy.toAbsolutePath().resolve("data").toString(), app.at("/volumes/0/source").asText());
    }
}
