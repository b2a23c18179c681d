package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.lab.Lab;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.HttpSwarmEngine;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconciler against the lab swarm: create, a no-op that writes nothing, a minimal update, prune. */
class StackReconcilerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "itrec";
    private static EngineApi api;
    private static CountingSwarmEngine engine;
    private static StackReconciler reconciler;

    @BeforeAll
    static void connect() {
        api = new EngineApi(Lab.dockerHost(), Duration.ofSeconds(20), JSON);
        engine = new CountingSwarmEngine(new HttpSwarmEngine(api));
        reconciler = Reconcilers.on(engine);
    }

    @AfterAll
    static void cleanUp() {
        reconciler.reconcile(new TargetState(STACK, "cleanup", List.of(), List.of()), StackReconciler.Settings.defaults());
        api.close();
    }

    private static ObjectNode labels(ObjectNode node) {
        node.putObject("Labels").put(StackLabels.NAMESPACE, STACK);
        return node;
    }

    private static DesiredObject network() {
        ObjectNode body = labels(JSON.createObjectNode().put("Name", STACK + "_back").put("Driver", "overlay"));
        return new DesiredObject(SwarmObject.Kind.NETWORK, STACK + "_back", body);
    }

    private static DesiredObject service(String name, String env, int replicas) {
        String image = Lab.registry() + "/stackwarden-lab/sleep:1";
        ObjectNode spec = labels(JSON.createObjectNode().put("Name", STACK + "_" + name));
        ((ObjectNode) spec.get("Labels")).put(StackLabels.IMAGE, image);
        ObjectNode container = spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", image);
        container.putArray("Env").add(env);
        container.putObject("Labels").put(StackLabels.NAMESPACE, STACK);
        ((ObjectNode) spec.get("TaskTemplate")).putArray("Networks").addObject()
                .put("Target", STACK + "_back").putArray("Aliases").add(name);
        spec.putObject("Mode").putObject("Replicated").put("Replicas", replicas);
        return new DesiredObject(SwarmObject.Kind.SERVICE, STACK + "_" + name, spec);
    }

    private static ReconcileResult reconcile(String revision, ResolveImage mode, DesiredObject... objects) {
        engine.reset();
        return reconciler.reconcile(new TargetState(STACK, revision, List.of(objects), List.of()),
                new StackReconciler.Settings(mode, true, false));
    }

    private static List<String> taskIds(String service) {
        List<String> ids = new ArrayList<>(List.of(Lab.docker("service", "ps", "-q", service).trim().split("\\s+")));
        ids.sort(String::compareTo);
        return ids;
    }

    @Test
    void createNoOpUpdateAndPrune() {
        ReconcileResult created = reconcile("r1", ResolveImage.ALWAYS, network(), service("app", "A=1", 1), service("side", "B=1", 1));
        assertEquals(ReconcileResult.Outcome.APPLIED, created.outcome(), created.message());
        assertEquals(List.of("create network itrec_back", "create service itrec_app", "create service itrec_side"), engine.writes());
        String image = Lab.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", "itrec_app").trim();
        assertTrue(image.contains("@sha256:"), "image pinned to a digest in mode always: " + image);
        List<String> tasks = taskIds("itrec_app");

        // Unchanged desired state, new revision: nothing is written, no registry lookup is made.
        ReconcileResult noop = reconcile("r2", ResolveImage.ALWAYS, network(), service("app", "A=1", 1), service("side", "B=1", 1));
        assertEquals(ReconcileResult.Outcome.IN_SYNC, noop.outcome(), noop.message());
        assertEquals(List.of(), engine.writes());
        assertEquals(List.of(), engine.registryLookups());
        assertEquals(tasks, taskIds("itrec_app"));

        // One changed service: exactly one write.
        ReconcileResult changed = reconcile("r3", ResolveImage.NEVER, network(), service("app", "A=2", 1), service("side", "B=1", 1));
        assertEquals(ReconcileResult.Outcome.APPLIED, changed.outcome(), changed.message());
        assertEquals(List.of("update service itrec_app"), engine.writes());
        assertEquals(List.of("/TaskTemplate/ContainerSpec/Env"), changed.writes().get(0).changes());
        String kept = Lab.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", "itrec_app").trim();
        assertEquals(image, kept, "an unchanged image reference keeps its pinned digest");

        // A service removed from the files is pruned; the network it no longer needs... is still used by app.
        ReconcileResult pruned = reconcile("r4", ResolveImage.NEVER, network(), service("app", "A=2", 1));
        assertEquals(ReconcileResult.Outcome.APPLIED, pruned.outcome(), pruned.message());
        assertEquals(1, engine.writes().size(), engine.writes().toString());
        assertTrue(engine.writes().get(0).startsWith("remove service "), engine.writes().toString());
        assertTrue(Lab.docker("service", "ls", "-q", "--filter", "name=itrec_side").isBlank());
    }

    @Test
    void objectsWithoutOwnershipLabelAreNeverTouched() {
        String foreign = "itforeign_web";
        Lab.docker("service", "create", "-d", "--name", foreign, "--label", StackLabels.NAMESPACE + "=itforeign",
                "--replicas", "0", Lab.registry() + "/stackwarden-lab/sleep:1");
        try {
            engine.reset();
            ReconcileResult result = reconciler.reconcile(new TargetState("itforeign", "r1", List.of(), List.of()),
                    StackReconciler.Settings.defaults());
            assertEquals(ReconcileResult.Outcome.TERMINAL_FAILURE, result.outcome());
            assertTrue(result.message().contains("adopt"), result.message());
            assertEquals(List.of(), engine.writes());
            assertEquals(foreign, Lab.docker("service", "inspect", "--format", "{{.Spec.Name}}", foreign).trim());
        } finally {
            Lab.docker("service", "rm", foreign);
        }
    }
}
