package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconcile rules on a fake of our engine port; the same rules run against the lab in StackReconcilerIT. */
class StackReconcilerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final StackReconciler reconciler = Reconcilers.on(engine);

    private static ObjectNode spec(String name) {
        ObjectNode spec = JSON.createObjectNode().put("Name", name);
        spec.putObject("Labels").put(StackLabels.NAMESPACE, "s");
        return spec;
    }

    private static DesiredObject service(String name, String image, String env) {
        ObjectNode spec = spec("s_" + name);
        ((ObjectNode) spec.get("Labels")).put(StackLabels.IMAGE, image);
        ObjectNode container = spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", image);
        container.putArray("Env").add(env);
        spec.putObject("Mode").putObject("Replicated").put("Replicas", 1);
        return new DesiredObject(SwarmObject.Kind.SERVICE, "s_" + name, spec);
    }

    private static DesiredObject config(String name, String data) {
        return new DesiredObject(SwarmObject.Kind.CONFIG, "s_" + name, spec("s_" + name).put("Data", data));
    }

    private ReconcileResult run(ResolveImage mode, boolean prune, DesiredObject... objects) {
        engine.reset();
        return reconciler.reconcile(new TargetState("s", "rev", List.of(objects), List.of()),
                new StackReconciler.Settings(mode, prune, false));
    }

    @Test
    void secondRunOfAnUnchangedStackWritesNothingAndAsksNoRegistry() {
        swarm.digests.put("app:1", "sha256:aaa");
        run(ResolveImage.ALWAYS, true, config("c", "eA=="), service("web", "app:1", "A=1"));
        assertEquals(List.of("create config s_c", "create service s_web"), engine.writes());
        assertEquals(List.of("app:1"), engine.registryLookups());

        ReconcileResult second = run(ResolveImage.ALWAYS, true, config("c", "eA=="), service("web", "app:1", "A=1"));
        assertEquals(ReconcileResult.Outcome.IN_SYNC, second.outcome());
        assertEquals(List.of(), engine.writes());
        assertEquals(List.of(), engine.registryLookups());
    }

    @Test
    void engineDefaultsAndNetworkIdsAreNoChange() {
        // As docker stack deploy sends them: no replica count, networks by name; the engine stores 1 and IDs.
        ObjectNode network = spec("s_back").put("Driver", "overlay");
        DesiredObject web = service("web", "app:1", "A=1");
        ((ObjectNode) web.spec().get("Mode")).putObject("Replicated");
        ((ObjectNode) web.spec().get("TaskTemplate")).putArray("Networks").addObject().put("Target", "s_back");
        DesiredObject net = new DesiredObject(SwarmObject.Kind.NETWORK, "s_back", network);
        run(ResolveImage.NEVER, true, net, web);
        assertEquals(1, swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().spec().at("/Mode/Replicated/Replicas").asInt());

        ReconcileResult second = run(ResolveImage.NEVER, true, net, web);
        assertEquals(ReconcileResult.Outcome.IN_SYNC, second.outcome(), second.message());
        assertEquals(List.of(), engine.writes());

        // A global service is not mistaken for a replicated one without a count.
        DesiredObject global = service("web", "app:1", "A=1");
        ((ObjectNode) global.spec()).putObject("Mode").putObject("Global");
        ((ObjectNode) global.spec().get("TaskTemplate")).putArray("Networks").addObject().put("Target", "s_back");
        run(ResolveImage.NEVER, true, net, global);
        assertEquals(List.of("update service s_web"), engine.writes());
    }

    @Test
    void imageIsPinnedAndKeptWhileTheReferenceIsUnchanged() {
        swarm.digests.put("app:1", "sha256:aaa");
        run(ResolveImage.CHANGED, true, service("web", "app:1", "A=1"));
        swarm.digests.put("app:1", "sha256:bbb"); // the tag moved in the registry
        run(ResolveImage.CHANGED, true, service("web", "app:1", "A=2"));
        assertEquals("app:1@sha256:aaa", image("s_web"), "changed mode keeps the digest of an unchanged reference");
        assertEquals(List.of(), engine.registryLookups());

        swarm.digests.put("app:2", "sha256:ccc");
        run(ResolveImage.CHANGED, true, service("web", "app:2", "A=2"));
        assertEquals("app:2@sha256:ccc", image("s_web"));
    }

    @Test
    void theTaggedFormIsPinnedWhileTheFilesTextDecidesWhetherTheImageChanged() {
        // As the converter builds it for `image: app`: the label keeps the text, the spec the CLI client's form.
        DesiredObject web = service("web", "app:latest", "A=1");
        ((ObjectNode) web.spec().get("Labels")).put(StackLabels.IMAGE, "app");
        swarm.digests.put("app:latest", "sha256:aaa");
        run(ResolveImage.ALWAYS, true, web);
        assertEquals("app:latest@sha256:aaa", image("s_web"));
        assertEquals("app", swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().labels().get(StackLabels.IMAGE));

        for (ResolveImage mode : ResolveImage.values()) {
            ReconcileResult again = run(mode, true, web);
            assertEquals(ReconcileResult.Outcome.IN_SYNC, again.outcome(), mode + ": " + again.message());
            assertEquals(List.of(), engine.writes(), mode.toString());
        }
    }

    @Test
    void modeNeverUsesTheReferenceAsWritten() {
        run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        assertEquals("app:1", image("s_web"));
        assertEquals(List.of(), engine.registryLookups());
    }

    @Test
    void unreachableRegistryLeavesTheImageUnpinned() {
        ReconcileResult result = run(ResolveImage.ALWAYS, true, service("web", "nowhere:1", "A=1"));
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome());
        assertEquals("nowhere:1", image("s_web"));
    }

    @Test
    void changedServiceGetsExactlyOneUpdateNamingTheField() {
        run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"), service("db", "db:1", "B=1"));
        ReconcileResult result = run(ResolveImage.NEVER, true, service("web", "app:1", "A=2"), service("db", "db:1", "B=1"));
        assertEquals(List.of("update service s_web"), engine.writes());
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Env"), result.writes().get(0).changes());
    }

    @Test
    void outOfBandChangeIsReverted() {
        run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        swarm.tamper(SwarmObject.Kind.SERVICE, "s_web", spec -> ((ObjectNode) spec.at("/Mode/Replicated")).put("Replicas", 5));
        ReconcileResult result = run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        assertEquals(List.of("/Mode/Replicated/Replicas"), result.writes().get(0).changes());
        assertEquals(1, swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().spec().at("/Mode/Replicated/Replicas").asInt());
    }

    @Test
    void imageChangedByHandIsRevertedThoughTheStackLabelStillNamesOurs() {
        swarm.digests.put("app:1", "sha256:aaa");
        run(ResolveImage.ALWAYS, true, service("web", "app:1", "A=1"));
        swarm.tamper(SwarmObject.Kind.SERVICE, "s_web",
                spec -> ((ObjectNode) spec.at("/TaskTemplate/ContainerSpec")).put("Image", "other:9@sha256:fff"));
        ReconcileResult result = run(ResolveImage.ALWAYS, true, service("web", "app:1", "A=1"));
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Image"), result.writes().get(0).changes());
        assertEquals("app:1@sha256:aaa", image("s_web"));
    }

    @Test
    void pruneRemovesServicesBeforeTheirConfigsAndOnlyOwnedObjects() {
        run(ResolveImage.NEVER, true, config("c", "eA=="), service("web", "app:1", "A=1"));
        swarm.create(SwarmObject.Kind.SERVICE, spec("s_handmade")); // same namespace, no ownership label
        ReconcileResult result = reconciler.reconcile(new TargetState("s", "rev", List.of(), List.of()),
                new StackReconciler.Settings(ResolveImage.NEVER, true, true));
        List<String> removed = result.writes().stream().map(a -> a.type() + " " + a.name()).toList();
        assertEquals(List.of("REMOVE s_web", "REMOVE s_c"), removed);
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "s_handmade").isPresent());
    }

    @Test
    void pruneOffKeepsRemovedServices() {
        run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        ReconcileResult result = run(ResolveImage.NEVER, false);
        assertEquals(ReconcileResult.Outcome.IN_SYNC, result.outcome());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "s_web").isPresent());
    }

    @Test
    void foreignStackIsNotTouchedWithoutAdopt() {
        swarm.create(SwarmObject.Kind.SERVICE, spec("s_web"));
        ReconcileResult result = run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        assertEquals(ReconcileResult.Outcome.TERMINAL_FAILURE, result.outcome());
        assertEquals(List.of(), engine.writes());
    }

    @Test
    void missingExternalNetworkStopsTheStackBeforeAnyWrite() {
        ReconcileResult result = reconciler.reconcile(new TargetState("s", "rev", List.of(service("web", "app:1", "A=1")),
                        List.of(new TargetState.External(SwarmObject.Kind.NETWORK, "shared"))),
                StackReconciler.Settings.defaults());
        assertEquals(ReconcileResult.Outcome.TERMINAL_FAILURE, result.outcome());
        assertTrue(result.message().contains("\"shared\" is declared as external"), result.message());
        assertEquals(List.of(), engine.writes());
    }

    @Test
    void deadEngineIsATransientFailure() {
        swarm.info = null;
        assertEquals(ReconcileResult.Outcome.TRANSIENT_FAILURE, run(ResolveImage.NEVER, true, service("web", "app:1", "A=1")).outcome());
    }

    @Test
    void updateOutOfSequenceIsRetriedOnTheFreshVersion() {
        run(ResolveImage.NEVER, true, service("web", "app:1", "A=1"));
        swarm.beforeNextUpdate = () -> swarm.tamper(SwarmObject.Kind.SERVICE, "s_web",
                spec -> ((ObjectNode) spec.get("Labels")).put("someone", "else"));
        ReconcileResult result = run(ResolveImage.NEVER, true, service("web", "app:1", "A=2"));
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome(), result.message());
        assertEquals(List.of("update service s_web", "update service s_web"), engine.writes());
        ObjectNode live = swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().spec();
        assertEquals("A=2", live.at("/TaskTemplate/ContainerSpec/Env/0").asText());
        assertTrue(live.at("/Labels/someone").isMissingNode(), "the retry wrote the desired labels");
    }

    private static DesiredObject network(String name) {
        return new DesiredObject(SwarmObject.Kind.NETWORK, "s_" + name, spec("s_" + name).put("Driver", "overlay"));
    }

    private static DesiredObject on(DesiredObject service, String network) {
        ((ObjectNode) service.spec().get("TaskTemplate")).putArray("Networks").addObject().put("Target", "s_" + network);
        return service;
    }

    private String networkOf(String service) {
        return swarm.find(SwarmObject.Kind.SERVICE, service).orElseThrow().spec().at("/TaskTemplate/Networks/0/Target").asText();
    }

    @Test
    void aNetworkRemovedAMomentAgoIsCreatedAnewOnceTheManagerNoLongerShowsIt() {
        run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        String old = swarm.find(SwarmObject.Kind.NETWORK, "s_back").orElseThrow().id();
        swarm.staleNetworkReads = 5; // the manager keeps listing the removed network for a few reads
        assertEquals(ReconcileResult.Outcome.APPLIED, run(ResolveImage.NEVER, true).outcome());
        assertTrue(swarm.lingers(old), "still listed after its removal");

        ReconcileResult again = run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        assertEquals(ReconcileResult.Outcome.APPLIED, again.outcome(), again.message());
        assertEquals(List.of("create network s_back", "create service s_web"), engine.writes());
        String fresh = swarm.find(SwarmObject.Kind.NETWORK, "s_back").orElseThrow().id();
        assertTrue(!fresh.equals(old) && !swarm.lingers(old), "a new network, created after the old one was gone");
        assertEquals(fresh, networkOf("s_web"));
    }

    @Test
    void aServiceRefusedForANetworkSomeoneElseRemovedIsRetriedAndTheNetworkRecreated() {
        run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        String old = swarm.find(SwarmObject.Kind.NETWORK, "s_back").orElseThrow().id();
        swarm.remove(SwarmObject.Kind.SERVICE, swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().id());
        swarm.staleNetworkReads = 6;
        swarm.remove(SwarmObject.Kind.NETWORK, old); // docker stack rm, say: still listed for a while

        ReconcileResult refused = run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        assertEquals(ReconcileResult.Outcome.TRANSIENT_FAILURE, refused.outcome(), refused.message());
        assertTrue(refused.message().contains("network " + old + " not found"), refused.message());

        ReconcileResult retried = run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        assertEquals(ReconcileResult.Outcome.APPLIED, retried.outcome(), retried.message());
        assertEquals(List.of("create network s_back", "create service s_web"), engine.writes());
        assertEquals(swarm.find(SwarmObject.Kind.NETWORK, "s_back").orElseThrow().id(), networkOf("s_web"));
    }

    private String image(String service) {
        return swarm.find(SwarmObject.Kind.SERVICE, service).orElseThrow().spec().at("/TaskTemplate/ContainerSpec/Image").asText();
    }

    @Test
    void aNetworkTheManagerListsButCannotRemoveAnyMoreCountsAsRemoved() {
        run(ResolveImage.NEVER, true, network("back"), on(service("web", "app:1", "A=1"), "back"));
        String ghost = swarm.find(SwarmObject.Kind.NETWORK, "s_back").orElseThrow().id();
        swarm.remove(SwarmObject.Kind.SERVICE, swarm.find(SwarmObject.Kind.SERVICE, "s_web").orElseThrow().id());
        swarm.staleNetworkReads = 100; // a copy left behind on the manager: listed, but "not found" on removal
        swarm.remove(SwarmObject.Kind.NETWORK, ghost);

        ReconcileResult removal = run(ResolveImage.NEVER, true);
        assertEquals(ReconcileResult.Outcome.APPLIED, removal.outcome(), removal.message());
        assertEquals(ReconcileResult.Outcome.IN_SYNC, run(ResolveImage.NEVER, true).outcome(),
                "the next pass does not try again");
        assertTrue(swarm.lingers(ghost), "still listed by the manager");
    }
}
