package io.stackwarden.imageupdate;

import io.stackwarden.compose.StackCompiler;
import io.stackwarden.desired.DesiredSource;
import io.stackwarden.desired.DesiredStateReader;
import io.stackwarden.loop.PassResult;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.StackStatus;
import io.stackwarden.loop.WriteGate;
import io.stackwarden.loop.StatusStore;
import io.stackwarden.loop.SuspendOverrides;
import io.stackwarden.loop.Trigger;
import io.stackwarden.reconcile.ImageResolver;
import io.stackwarden.reconcile.StackPlanner;
import io.stackwarden.reconcile.StackReconciler;
import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.remedy.NetworkNotFoundRemedy;
import io.stackwarden.support.ManualScheduler;
import io.stackwarden.swarm.CountingSwarmEngine;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watch of image tags with the real controller, planner and resolver on the fake engine, time moved by hand:
 * only a stack that opted in follows a moved tag, only the services of that image are written, lookups are shared
 * per reference and spaced per registry, and a registry's notification checks at once.
 */
class TagWatchTest {

    private static final String APP = "reg.example.test:5000/team/app:1";
    private static final String WEB = "reg.example.test:5000/team/web:1";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String W1 = "sha256:" + "a".repeat(64);

    @TempDir
    Path root;
    private final FakeSwarm swarm = new FakeSwarm();
    private final CountingSwarmEngine engine = new CountingSwarmEngine(swarm);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final StatusStore statuses = new StatusStore();
    private final List<String> queued = new ArrayList<>();
    private TagWatch watch;
    private StackController controller;

    @BeforeEach
    void setUp() throws Exception {
        ImageResolver resolver = new ImageResolver(engine, RegistryCredentials.none(), Duration.ofMinutes(10), scheduler.clock());
        watch = new TagWatch(engine, resolver, scheduler, 2, queued::add);
        controller = new StackController(DesiredSource.folder(root), new DesiredStateReader(), new StackCompiler(),
                new StackReconciler(engine, new StackPlanner(resolver), 2), swarm, statuses, new SuspendOverrides(), Map.of(),
                scheduler.clock(), 3, NetworkNotFoundRemedy.withDefaults(swarm, scheduler.clock(), () -> { }), watch,
                WriteGate.OPEN);
        swarm.digests.put(APP, D1);
        swarm.digests.put(WEB, W1);
        String compose = "services:\n  app: {image: " + APP + "}\n  web: {image: " + WEB + "}\n";
        for (String stack : List.of("watched", "also", "plain")) {
            Files.createDirectories(root.resolve(stack));
            Files.writeString(root.resolve(stack).resolve("compose.yaml"), compose);
        }
        Files.writeString(root.resolve("stackwarden.yaml"), "stacks:\n  watched: {watchImages: 1m}\n  also: {watchImages: 5m}\n");
        for (String stack : List.of("watched", "also", "plain")) {
            assertEquals(PassResult.Next.DONE, pass(stack).next());
        }
        engine.reset();
    }

    private PassResult pass(String stack) {
        return controller.reconcile(stack, Set.of(Trigger.IMAGE_UPDATE));
    }

    private String image(String service) {
        return swarm.find(SwarmObject.Kind.SERVICE, service).orElseThrow().spec().at("/TaskTemplate/ContainerSpec/Image").asText();
    }

    @Test
    void aMovedTagIsRolledOutForTheStacksThatWatchItOnlyAndOnlyItsServicesAreWritten() {
        swarm.digests.put(APP, D2);
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(List.of("watched"), queued, "the 1m stack found it; the 5m one is not due, the plain one never");
        assertEquals(List.of(APP, WEB), engine.registryLookups(), "one lookup per reference");

        engine.reset();
        PassResult rolled = pass("watched");
        assertEquals(List.of("update service watched_app"), engine.writes());
        assertEquals(APP + "@" + D2, image("watched_app"));
        assertEquals(WEB + "@" + W1, image("watched_web"));
        StackStatus status = statuses.get("watched").orElseThrow();
        assertTrue(status.message().contains("image " + APP + ": " + D1 + " → " + D2 + " (service watched_app)"),
                status.message());
        assertEquals(PassResult.Next.DONE, rolled.next());

        // Without the opt-in nothing changes, even on a pass for another reason.
        engine.reset();
        pass("plain");
        assertEquals(List.of(), engine.writes());
        assertEquals(APP + "@" + D1, image("plain_app"));

        // The 5m stack uses the lookups the 1m stack already made within its interval.
        engine.reset();
        queued.clear();
        scheduler.advance(Duration.ofMinutes(4));
        assertEquals(4 * 2, engine.registryLookups().size(), "the 1m stack: two references each minute");
        assertEquals(List.of("also"), queued);
    }

    @Test
    void aRegistryNotificationChecksAtOnceAndLookupsStayWithinTheRegistrysRate() {
        swarm.digests.put(APP, D2);
        watch.pushed(List.of(APP));
        scheduler.advance(Duration.ZERO);
        assertEquals(List.of("watched", "also"), queued.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertEquals(List.of(APP), engine.registryLookups(), "one lookup, whose answer both stacks use");

        // 2 per minute: the burst is used up by a second notification; a third one looks nothing up.
        watch.pushed(List.of(APP));
        watch.pushed(List.of(APP));
        scheduler.advance(Duration.ZERO);
        assertEquals(List.of(APP, APP), engine.registryLookups());
        engine.reset();
        scheduler.advance(Duration.ofSeconds(59));
        assertEquals(List.of(), engine.registryLookups());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(List.of(APP, WEB), engine.registryLookups(), "the 1m stack's check, once the bucket refilled");
    }

    @Test
    void aStackThatStopsWatchingOrGoesAwayIsNoLongerChecked() throws Exception {
        Files.writeString(root.resolve("stackwarden.yaml"), "stacks:\n  watched: {watchImages: false}\n");
        pass("watched");
        pass("also");
        swarm.digests.put(APP, D2);
        scheduler.advance(Duration.ofMinutes(10));
        assertEquals(List.of(), engine.registryLookups());
        assertEquals(List.of(), queued);
        assertEquals(List.of(), scheduler.pending());
    }

    @Test
    void aRolloutSwarmRolledBackIsReportedAndNotRetriedForTheSameDigest() {
        swarm.digests.put(APP, D2);
        scheduler.advance(Duration.ofMinutes(1));
        pass("watched");
        assertEquals(APP + "@" + D2, image("watched_app"));
        // failure_action: rollback: Swarm puts the previous spec back and says so.
        swarm.tamper(SwarmObject.Kind.SERVICE, "watched_app", spec -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                spec.at("/TaskTemplate/ContainerSpec")).put("Image", APP + "@" + D1));
        swarm.rolloutState("watched_app", "rollback_completed");

        engine.reset();
        pass("watched");
        assertEquals(List.of(), engine.writes(), "Swarm's rollback is not undone");
        StackStatus status = statuses.get("watched").orElseThrow();
        assertEquals(StackStatus.Health.DEGRADED, status.health());
        assertEquals("rollback_completed", status.services().stream().filter(s -> s.name().equals("watched_app"))
                .findFirst().orElseThrow().updateState());
        assertTrue(status.imageUpdates().get(0).contains(D1 + " → " + D2), status.imageUpdates().toString());
    }
}
