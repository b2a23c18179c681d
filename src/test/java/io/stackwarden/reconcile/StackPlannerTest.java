package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The planner alone: desired objects and a listing in, the ordered writes out; no engine but image lookups. */
class StackPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeSwarm registry = new FakeSwarm();
    private final StackPlanner planner = new StackPlanner(new ImageResolver(registry, RegistryCredentials.none(), Duration.ofMinutes(10), Clock.systemUTC()));
    private static final StackPlanner.Options NEVER = new StackPlanner.Options(ResolveImage.NEVER, true);

    private List<Action> plan(TargetState target, List<SwarmObject> live, StackPlanner.Options options) {
        return planner.plan(target, live, options).steps();
    }

    private static ObjectNode spec(String name, Map<String, String> labels) {
        ObjectNode spec = JSON.createObjectNode().put("Name", name);
        ObjectNode l = spec.putObject("Labels").put(StackLabels.NAMESPACE, "s");
        labels.forEach(l::put);
        return spec;
    }

    private static DesiredObject desired(SwarmObject.Kind kind, String name) {
        ObjectNode spec = spec(name, Map.of(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE));
        if (kind == SwarmObject.Kind.SERVICE) {
            ((ObjectNode) spec.get("Labels")).put(StackLabels.IMAGE, "app:1");
            spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "app:1");
            spec.putObject("Mode").putObject("Replicated").put("Replicas", 2);
        }
        return new DesiredObject(kind, name, spec);
    }

    private static SwarmObject live(DesiredObject desired, String id) {
        return live(desired.kind(), desired.name(), id, desired.spec().deepCopy());
    }

    private static SwarmObject live(SwarmObject.Kind kind, String name, String id, ObjectNode spec) {
        Map<String, String> labels = JSON.convertValue(spec.path("Labels"), Map.class);
        return new SwarmObject(kind, id, name, 7, labels, spec, JSON.createObjectNode().set("Spec", spec));
    }

    private static TargetState target(DesiredObject... objects) {
        return new TargetState("s", "r1", List.of(objects), List.of());
    }

    private static List<String> steps(List<Action> actions) {
        return actions.stream().map(Action::toString).toList();
    }

    @Test
    void createsWhatIsMissingInKindOrderAndNothingForWhatIsEqual() {
        DesiredObject net = desired(SwarmObject.Kind.NETWORK, "s_net");
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        DesiredObject secret = desired(SwarmObject.Kind.SECRET, "s_key");
        assertEquals(List.of("create network s_net", "create secret s_key", "create service s_web"),
                steps(plan(target(web, secret, net), List.of(), NEVER)));
        assertEquals(List.of(), plan(target(web, secret, net),
                List.of(live(net, "n1"), live(web, "w1"), live(secret, "k1")), NEVER));
    }

    @Test
    void aChangedServiceIsOneUpdateNamingTheChangedFields() {
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        ObjectNode old = web.spec().deepCopy();
        ((ObjectNode) old.at("/Mode/Replicated")).put("Replicas", 5);
        List<Action> plan = plan(target(web), List.of(live(SwarmObject.Kind.SERVICE, "s_web", "w1", old)), NEVER);
        assertEquals(List.of("update service s_web [/Mode/Replicated/Replicas]"), steps(plan));
        assertEquals("w1", plan.get(0).live().orElseThrow().id());
    }

    @Test
    void ignoredFieldsKeepTheirLiveValue() {
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        ObjectNode scaled = web.spec().deepCopy();
        ((ObjectNode) scaled.at("/Mode/Replicated")).put("Replicas", 5);
        assertEquals(List.of(), plan(target(web), List.of(live(SwarmObject.Kind.SERVICE, "s_web", "w1", scaled)),
                new StackPlanner.Options(ResolveImage.NEVER, true, Set.of("replicas"))));
    }

    @Test
    void anExistingNetworkIsNeverUpdatedAndSecretDataIsNotCompared() {
        DesiredObject net = desired(SwarmObject.Kind.NETWORK, "s_net");
        ObjectNode otherNet = net.spec().deepCopy().put("Driver", "bridge");
        DesiredObject secret = desired(SwarmObject.Kind.SECRET, "s_key");
        ((ObjectNode) secret.spec()).put("Data", "bmV3");
        assertEquals(List.of(), plan(target(net, secret), List.of(
                live(SwarmObject.Kind.NETWORK, "s_net", "n1", otherNet),
                live(SwarmObject.Kind.SECRET, "s_key", "k1", spec("s_key", Map.of(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE)))),
                NEVER));
    }

    @Test
    void pruneRemovesOnlyOwnedObjectsThatLeftTheFilesServicesFirst() {
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        List<SwarmObject> live = List.of(live(web, "w1"),
                live(desired(SwarmObject.Kind.NETWORK, "s_old"), "n1"),
                live(desired(SwarmObject.Kind.SERVICE, "s_gone"), "g1"),
                live(SwarmObject.Kind.SERVICE, "s_foreign", "f1", spec("s_foreign", Map.of())));
        assertEquals(List.of("remove service s_gone", "remove network s_old"), steps(plan(target(web), live, NEVER)));
        assertEquals(List.of(), plan(target(web), live, new StackPlanner.Options(ResolveImage.NEVER, false)));
    }

    @Test
    void anOldVersionOfAConfigStillInTheFilesIsNotPruned() {
        DesiredObject current = desired(SwarmObject.Kind.CONFIG, "s_conf_bbbbbbbbbb");
        ((ObjectNode) current.spec().get("Labels")).put(Ownership.OBJECT_KEY, "conf");
        ObjectNode old = spec("s_conf_aaaaaaaaaa", Map.of(Ownership.MANAGED_BY, Ownership.MANAGED_BY_VALUE,
                Ownership.OBJECT_KEY, "conf"));
        assertEquals(List.of(), plan(target(current),
                List.of(live(current, "c2"), live(SwarmObject.Kind.CONFIG, "s_conf_aaaaaaaaaa", "c1", old)), NEVER));
    }

    @Test
    void imagesArePinnedOnlyWhenTheModeSaysSo() {
        registry.digests.put("app:1", "sha256:aaa");
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        assertEquals("app:1", plan(target(web), List.of(), NEVER).get(0).spec().orElseThrow()
                .at("/TaskTemplate/ContainerSpec/Image").asText());
        assertEquals("app:1@sha256:aaa", plan(target(web), List.of(),
                        new StackPlanner.Options(ResolveImage.CHANGED, true)).get(0).spec().orElseThrow()
                .at("/TaskTemplate/ContainerSpec/Image").asText());
    }

    @Test
    void aFieldTheEngineIsTooOldToStoreIsSentButNotCompared() {
        DesiredObject web = desired(SwarmObject.Kind.SERVICE, "s_web");
        ObjectNode container = (ObjectNode) web.spec().at("/TaskTemplate/ContainerSpec");
        container.putObject("Healthcheck").put("Interval", 30_000_000_000L).put("StartInterval", 2_000_000_000L);
        container.put("OomScoreAdj", 500);
        ObjectNode stored = web.spec().deepCopy(); // what an engine of API 1.41 keeps: neither field
        ((ObjectNode) stored.at("/TaskTemplate/ContainerSpec/Healthcheck")).remove("StartInterval");
        ((ObjectNode) stored.at("/TaskTemplate/ContainerSpec")).remove("OomScoreAdj");
        SwarmObject live = live(SwarmObject.Kind.SERVICE, "s_web", "id1", stored);

        assertEquals(List.of(), plan(target(web), List.of(live),
                new StackPlanner.Options(ResolveImage.NEVER, true, Set.of(), Map.of(), "1.41")));
        List<Action> newer = plan(target(web), List.of(live),
                new StackPlanner.Options(ResolveImage.NEVER, true, Set.of(), Map.of(), "1.46"));
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Healthcheck/StartInterval", "/TaskTemplate/ContainerSpec/OomScoreAdj"),
                newer.get(0).changes(), "an engine that stores them must get them");
        assertEquals(500, newer.get(0).spec().orElseThrow().at("/TaskTemplate/ContainerSpec/OomScoreAdj").asInt());
        List<Action> api144 = plan(target(web), List.of(live),
                new StackPlanner.Options(ResolveImage.NEVER, true, Set.of(), Map.of(), "1.44"));
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Healthcheck/StartInterval"), api144.get(0).changes());
        assertEquals(500, api144.get(0).spec().orElseThrow().at("/TaskTemplate/ContainerSpec/OomScoreAdj").asInt(),
                "what the engine ignores is still sent, as the CLI sends it");
        assertEquals(1, plan(target(web), List.of(live), NEVER).size(), "an unknown version compares everything");
    }
}
