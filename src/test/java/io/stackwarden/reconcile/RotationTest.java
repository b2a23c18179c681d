package io.stackwarden.reconcile;

import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.api.DiffView;
import io.stackwarden.compose.convert.StackConverter;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configs and secrets named by content: rotation, collection of old versions, and what is left alone. */
class RotationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** swarmkit's rule for config and secret names, plus its 64-character limit. */
    private static final Pattern SWARM_NAME = Pattern.compile("^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$");
    private static final String SECRET_TEXT = "hunter2-do-not-print";
    private static final String MODEL = """
            {'services': {
               'app': {'image': 'app:1',
                       'configs': [{'source': 'conf', 'target': '/etc/app.conf', 'uid': '10', 'gid': '20', 'mode': 288}],
                       'secrets': [{'source': 'pw', 'target': 'pw', 'mode': 256}, 'shared']},
               'other': {'image': 'other:1', 'configs': ['fixed']}},
             'configs': {'conf': {'file': '/d/conf'}, 'fixed': {'name': 'shared_fixed', 'file': '/d/fixed'}},
             'secrets': {'pw': {'file': '/d/pw'}, 'shared': {'external': true, 'name': 'shared'}}}""";

    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final Map<String, String> files = new HashMap<>(Map.of("/d/conf", "v1", "/d/fixed", "fixed", "/d/pw", SECRET_TEXT));

    RotationTest() {
        ObjectNode external = JSON.createObjectNode().put("Name", "shared").put("Data", "eA==");
        swarm.create(SwarmObject.Kind.SECRET, external);
    }

    private StackReconciler reconciler(int keep) {
        return Reconcilers.on(engine, keep);
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TargetState target(String stack, String model) {
        return TargetState.of(stack, "rev", StackConverter.convert(stack, json(model), path -> {
            String content = files.get(path);
            if (content == null) {
                throw new NoSuchFileException(path);
            }
            return content.getBytes(StandardCharsets.UTF_8);
        }));
    }

    private TargetState target() {
        return target("s", MODEL);
    }

    private ReconcileResult run(int keep) {
        return run(keep, true);
    }

    private ReconcileResult run(int keep, boolean prune) {
        engine.reset();
        ReconcileResult result = reconciler(keep).reconcile(target(), new StackReconciler.Settings(ResolveImage.NEVER, prune, false));
        assertFalse(result.failed(), result.message());
        return result;
    }

    private static DesiredObject object(TargetState target, SwarmObject.Kind kind, String key) {
        return target.objects().stream().filter(o -> o.kind() == kind)
                .filter(o -> key.equals(o.spec().path("Labels").path(Ownership.OBJECT_KEY).asText(null)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " with key " + key));
    }

    private Set<String> live(SwarmObject.Kind kind, String key) {
        Set<String> names = new TreeSet<>();
        swarm.all().stream().filter(o -> o.kind() == kind && key.equals(o.labels().get(Ownership.OBJECT_KEY)))
                .forEach(o -> names.add(o.name()));
        return names;
    }

    private SwarmObject service(String name) {
        return swarm.find(SwarmObject.Kind.SERVICE, name).orElseThrow();
    }

    @Test
    void scopedConfigsAndSecretsAreNamedByContentAndLabelledWithTheirKey() {
        TargetState target = target();
        DesiredObject conf = object(target, SwarmObject.Kind.CONFIG, "conf");
        assertTrue(conf.name().matches("s_conf_[0-9a-f]{10}"), conf.name());
        assertEquals(conf.name(), conf.spec().path("Name").asText());
        assertEquals("s", conf.spec().at("/Labels/com.docker.stack.namespace").asText());
        assertTrue(object(target, SwarmObject.Kind.SECRET, "pw").name().matches("s_pw_[0-9a-f]{10}"));

        // The service refers to the new name; target, uid, gid and mode are those of the file.
        JsonNode app = target.objects().stream().filter(o -> o.name().equals("s_app")).findFirst().orElseThrow().spec();
        JsonNode reference = app.at("/TaskTemplate/ContainerSpec/Configs/0");
        assertEquals(conf.name(), reference.path("ConfigName").asText());
        assertEquals(List.of("/etc/app.conf", "10", "20", "288"), List.of(reference.at("/File/Name").asText(),
                reference.at("/File/UID").asText(), reference.at("/File/GID").asText(), reference.at("/File/Mode").asText()));
        List<String> secrets = app.at("/TaskTemplate/ContainerSpec/Secrets").findValuesAsText("SecretName");
        assertEquals(List.of(object(target, SwarmObject.Kind.SECRET, "pw").name(), "shared"), secrets);
        assertEquals(256, app.at("/TaskTemplate/ContainerSpec/Secrets/0/File/Mode").asInt());
    }

    @Test
    void aCredentialSpecConfigIsRenamedToo() {
        TargetState target = target("s", "{'services': {'app': {'image': 'app:1', 'credential_spec': {'config': 'conf'}}},"
                + " 'configs': {'conf': {'file': '/d/conf'}}}");
        String conf = object(target, SwarmObject.Kind.CONFIG, "conf").name();
        JsonNode container = target.objects().stream().filter(o -> o.name().equals("s_app")).findFirst().orElseThrow()
                .spec().at("/TaskTemplate/ContainerSpec");
        assertEquals(conf, container.at("/Privileges/CredentialSpec/Config").asText());
        assertEquals(List.of(conf), container.path("Configs").findValuesAsText("ConfigName"), "the runtime reference");
    }

    @Test
    void explicitNamesAndExternalsAreLeftAsNamed() {
        TargetState target = target();
        DesiredObject fixed = target.objects().stream().filter(o -> o.kind() == SwarmObject.Kind.CONFIG)
                .filter(o -> o.name().equals("shared_fixed")).findFirst().orElseThrow();
        assertTrue(fixed.spec().path("Labels").path(Ownership.OBJECT_KEY).isMissingNode());
        assertEquals(List.of("shared_fixed"), target.objects().stream().filter(o -> o.name().equals("s_other")).findFirst()
                .orElseThrow().spec().at("/TaskTemplate/ContainerSpec/Configs").findValuesAsText("ConfigName"));
        assertTrue(target.objects().stream().noneMatch(o -> o.name().equals("shared")), "the external secret is not created");
        assertEquals(List.of(new TargetState.External(SwarmObject.Kind.SECRET, "shared")), target.externals());
    }

    @Test
    void theHashCoversDataTemplatingAndDriverSaltedWithStackAndKeyButNotLabels() {
        ObjectNode spec = JSON.createObjectNode().put("Data", "djE=");
        String name = ContentNames.name("s", "k", spec);
        assertEquals(name, ContentNames.name("s", "k", spec.deepCopy().set("Labels", JSON.createObjectNode().put("a", "b"))));
        assertNotEquals(name, ContentNames.name("s", "k", spec.deepCopy().put("Data", "djI=")));
        assertNotEquals(name, ContentNames.name("s", "k", spec.deepCopy().set("Templating", JSON.createObjectNode().put("Name", "golang"))));
        ObjectNode driver = JSON.createObjectNode().put("Name", "vault");
        assertNotEquals(ContentNames.name("s", "k", JSON.createObjectNode().set("Driver", driver)),
                ContentNames.name("s", "k", JSON.createObjectNode().set("Driver", driver.deepCopy().set("Options",
                        JSON.createObjectNode().put("path", "x")))));
        assertNotEquals(ContentNames.hash("s", "k", spec), ContentNames.hash("t", "k", spec), "salted with the stack");
        assertNotEquals(ContentNames.hash("s", "k", spec), ContentNames.hash("s", "j", spec), "salted with the key");
        assertNotEquals(ContentNames.hash("s_a", "b", spec), ContentNames.hash("s", "a_b", spec), "stack and key kept apart");
    }

    @Test
    void longStackAndKeyAreCutToSwarmsLimitAndStayDistinct() {
        String stack = "a".repeat(48);
        String key = "k".repeat(60);
        ObjectNode spec = JSON.createObjectNode().put("Data", "djE=");
        String one = ContentNames.name(stack, key + "-one", spec);
        String two = ContentNames.name(stack, key + "-two", spec);
        for (String name : List.of(one, two)) {
            assertEquals(ContentNames.MAX_NAME, name.length(), name);
            assertTrue(SWARM_NAME.matcher(name).matches(), name);
            assertEquals(java.util.Optional.empty(), io.stackwarden.compose.convert.SwarmNames.configOrSecretProblem(name),
                    "the converter's check agrees with the name actually written");
            assertTrue(name.startsWith(stack + "_kkk"), name);
        }
        assertEquals(one.substring(0, 53), two.substring(0, 53));
        assertNotEquals(one, two);
        assertEquals(one, ContentNames.name(stack, key + "-one", spec.deepCopy()), "deterministic");
        // Keys ending in a separator are fine: the hash always ends the name.
        assertTrue(SWARM_NAME.matcher(ContentNames.name("s", "key.", spec)).matches());
    }

    @Test
    void unchangedFilesWriteNothing() {
        run(2);
        assertEquals(List.of(), run(2).writes());
        assertEquals(List.of(), engine.writes());
    }

    @Test
    void changedConfigIsANewObjectAndOnlyItsServiceIsUpdated() {
        run(2);
        String v1 = object(target(), SwarmObject.Kind.CONFIG, "conf").name();
        String otherTasks = swarm.tasks("s_other").toString();
        long otherVersion = service("s_other").version();

        files.put("/d/conf", "v2");
        String v2 = object(target(), SwarmObject.Kind.CONFIG, "conf").name();
        assertNotEquals(v1, v2);
        ReconcileResult result = run(2);
        assertEquals(List.of("create config " + v2, "update service s_app"), engine.writes());
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Configs"), result.writes().get(1).changes());
        String v2Id = swarm.find(SwarmObject.Kind.CONFIG, v2).orElseThrow().id();
        JsonNode reference = service("s_app").spec().at("/TaskTemplate/ContainerSpec/Configs/0");
        assertEquals(v2, reference.path("ConfigName").asText());
        assertEquals(v2Id, reference.path("ConfigID").asText());
        assertEquals("/etc/app.conf", reference.at("/File/Name").asText());
        assertEquals(Set.of(v1, v2), live(SwarmObject.Kind.CONFIG, "conf"), "the old version is kept for rollback");
        assertEquals(otherVersion, service("s_other").version(), "a service that does not use it is not updated");
        assertEquals(otherTasks, swarm.tasks("s_other").toString());
    }

    @Test
    void oldVersionsBeyondKeepAreCollectedNewestKept() {
        List<String> names = new java.util.ArrayList<>();
        for (int v = 1; v <= 5; v++) {
            files.put("/d/conf", "v" + v);
            names.add(object(target(), SwarmObject.Kind.CONFIG, "conf").name());
            run(2);
        }
        // Current (v5) plus the two newest old versions (v4, v3).
        assertEquals(Set.of(names.get(4), names.get(3), names.get(2)), live(SwarmObject.Kind.CONFIG, "conf"));

        files.put("/d/conf", "v6");
        ReconcileResult result = run(2);
        assertEquals(List.of("REMOVE " + names.get(2)), result.writes().stream()
                .filter(a -> a.type() == Action.Type.REMOVE).map(a -> a.type() + " " + a.name()).toList());
    }

    @Test
    void withKeepZeroTheVersionOfThePreviousSpecStaysForRollback() {
        run(0);
        String v1 = object(target(), SwarmObject.Kind.CONFIG, "conf").name();
        files.put("/d/conf", "v2");
        String v2 = object(target(), SwarmObject.Kind.CONFIG, "conf").name();
        run(0);
        assertEquals(Set.of(v1, v2), live(SwarmObject.Kind.CONFIG, "conf"), "PreviousSpec of s_app refers to v1");

        files.put("/d/conf", "v3");
        String v3 = object(target(), SwarmObject.Kind.CONFIG, "conf").name();
        run(0);
        assertEquals(Set.of(v2, v3), live(SwarmObject.Kind.CONFIG, "conf"));
    }

    @Test
    void oldVersionAnotherServiceUsesIsKeptUntilItIsFree() {
        run(0);
        SwarmObject v1 = swarm.find(SwarmObject.Kind.CONFIG, object(target(), SwarmObject.Kind.CONFIG, "conf").name()).orElseThrow();
        ObjectNode borrower = JSON.createObjectNode().put("Name", "elsewhere_app");
        borrower.putObject("TaskTemplate").putObject("ContainerSpec").putArray("Configs").addObject()
                .put("ConfigID", v1.id()).put("ConfigName", v1.name());
        String borrowerId = swarm.create(SwarmObject.Kind.SERVICE, borrower);
        for (String v : List.of("v2", "v3")) {
            files.put("/d/conf", v);
            run(0);
        }
        assertTrue(live(SwarmObject.Kind.CONFIG, "conf").contains(v1.name()), "used by a service of another stack");

        swarm.remove(SwarmObject.Kind.SERVICE, borrowerId);
        ReconcileResult result = run(0);
        assertEquals(List.of("remove config " + v1.name()), result.writes().stream().map(Action::toString).toList());
    }

    @Test
    void removalTheEngineRefusesAsInUseIsLeftForALaterPass() {
        run(0);
        SwarmObject v1 = swarm.find(SwarmObject.Kind.CONFIG, object(target(), SwarmObject.Kind.CONFIG, "conf").name()).orElseThrow();
        files.put("/d/conf", "v2");
        run(0);
        files.put("/d/conf", "v3");
        // Someone starts using v1 between the listing of services and the removal.
        String[] borrowerId = new String[1];
        swarm.beforeNextRemove = () -> {
            ObjectNode borrower = JSON.createObjectNode().put("Name", "elsewhere_app");
            borrower.putObject("TaskTemplate").putObject("ContainerSpec").putArray("Configs").addObject()
                    .put("ConfigID", v1.id()).put("ConfigName", v1.name());
            borrowerId[0] = swarm.create(SwarmObject.Kind.SERVICE, borrower);
        };
        ReconcileResult result = run(0);
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome(), result.message());
        assertTrue(result.writes().stream().noneMatch(a -> a.type() == Action.Type.REMOVE), result.writes().toString());
        assertTrue(live(SwarmObject.Kind.CONFIG, "conf").contains(v1.name()));

        swarm.remove(SwarmObject.Kind.SERVICE, borrowerId[0]);
        ReconcileResult later = run(0);
        assertEquals(List.of("remove config " + v1.name()), later.writes().stream().map(Action::toString).toList());
    }

    @Test
    void aKeyThatLeftTheFilesFollowsThePruneSetting() {
        run(2);
        files.put("/d/conf", "v2");
        run(2);
        String withoutConf = MODEL.replace("'configs': [{'source': 'conf', 'target': '/etc/app.conf', 'uid': '10', 'gid': '20', 'mode': 288}],", "")
                .replace("'conf': {'file': '/d/conf'}, ", "");
        StackReconciler reconciler = reconciler(2);
        engine.reset();
        reconciler.reconcile(target("s", withoutConf), new StackReconciler.Settings(ResolveImage.NEVER, false, false));
        assertEquals(2, live(SwarmObject.Kind.CONFIG, "conf").size(), "prune off: both versions stay");

        ReconcileResult pruned = reconciler.reconcile(target("s", withoutConf), new StackReconciler.Settings(ResolveImage.NEVER, true, false));
        assertEquals(Set.of(), live(SwarmObject.Kind.CONFIG, "conf"), pruned.writes().toString());
    }

    @Test
    void oldVersionsAreCollectedWithPruneOff() {
        for (int v = 1; v <= 4; v++) {
            files.put("/d/conf", "v" + v);
            run(1, false);
        }
        assertEquals(2, live(SwarmObject.Kind.CONFIG, "conf").size());
    }

    @Test
    void changedSecretRotatesAndItsDataAppearsNowhere() throws Exception {
        run(2);
        files.put("/d/pw", SECRET_TEXT + "-2");
        String encoded = Base64.getEncoder().encodeToString((SECRET_TEXT + "-2").getBytes(StandardCharsets.UTF_8));
        TargetState target = target();
        List<Action> preview = reconciler(2).plan(target, new StackReconciler.Settings(ResolveImage.NEVER, true, false)).steps();
        String diff = JSON.writeValueAsString(DiffView.of("s", preview));
        ReconcileResult result = run(2);
        String newName = object(target, SwarmObject.Kind.SECRET, "pw").name();
        assertEquals(List.of("create secret " + newName, "update service s_app"), engine.writes());
        assertEquals(newName, service("s_app").spec().at("/TaskTemplate/ContainerSpec/Secrets/0/SecretName").asText());
        assertEquals(2, live(SwarmObject.Kind.SECRET, "pw").size());

        String rendered = JSON.writeValueAsString(SecretMask.masked(object(target, SwarmObject.Kind.SECRET, "pw")));
        for (String text : List.of(diff, result.writes().toString(), result.message(), rendered, preview.toString())) {
            assertFalse(text.contains(SECRET_TEXT), text);
            assertFalse(text.contains(encoded), text);
        }
        assertTrue(diff.contains(newName), diff);
    }
}
