package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import io.stackwarden.registry.RegistryAuth;
import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.swarm.FakeSwarm;
import io.stackwarden.swarm.SwarmObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry credentials in a reconcile, on the fake engine (which only checks that the header it is given is the
 * expected one; PrivateRegistryIT pulls from a real registry with authentication).
 */
class PrivateRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRIVATE = "reg.example.test:5001/team/app:1";
    private static final String DIGEST = "sha256:" + "b".repeat(64);
    private static final RegistryAuth AUTH = new RegistryAuth("reg.example.test:5001", "robot", "hunter2-pw", "", "");

    @TempDir
    Path dir;
    private final FakeSwarm swarm = new FakeSwarm();

    private StackReconciler reconciler(RegistryCredentials credentials, boolean send) {
        return new StackReconciler(swarm, new StackPlanner(new ImageResolver(swarm, credentials, Duration.ofMinutes(5),
                Clock.systemUTC())), 2, new PullCredentials(credentials, send));
    }

    private RegistryCredentials credentials() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"auths\": {\"http://reg.example.test:5001/v2/\": {\"username\": \"robot\","
                + " \"password\": \"hunter2-pw\"}, \"other.example.test\": {\"username\": \"x\", \"password\": \"y\"}}}");
        return RegistryCredentials.from(file);
    }

    private static DesiredObject service(String name, String image) {
        ObjectNode spec = JSON.createObjectNode().put("Name", "s_" + name);
        spec.putObject("Labels").put(StackLabels.NAMESPACE, "s").put(StackLabels.IMAGE, image);
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", image);
        return new DesiredObject(SwarmObject.Kind.SERVICE, "s_" + name, spec);
    }

    private static ReconcileResult run(StackReconciler reconciler) {
        return reconciler.reconcile(new TargetState("s", "rev", List.of(service("app", PRIVATE),
                service("web", "web:1")), List.of()), new StackReconciler.Settings(ResolveImage.ALWAYS, true, false));
    }

    @Test
    void withCredentialsTheImageIsPinnedAndTheNodesGetThem() throws Exception {
        swarm.digests.put(PRIVATE, DIGEST);
        swarm.digests.put("web:1", "sha256:aaa");
        RegistryCredentials credentials = credentials();
        swarm.privateImages.put(PRIVATE, credentials.forImage(PRIVATE).orElseThrow().header());

        ReconcileResult result = run(reconciler(credentials, true));
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome(), result.message());
        assertEquals(PRIVATE + "@" + DIGEST, swarm.find(SwarmObject.Kind.SERVICE, "s_app").orElseThrow().spec()
                .at("/TaskTemplate/ContainerSpec/Image").asText());
        assertEquals(credentials.forImage(PRIVATE).orElseThrow().header(), swarm.authSent.get("s_app"));
        assertFalse(swarm.authSent.containsKey("s_web"), "no credentials for Docker Hub in the file: none sent");
    }

    @Test
    void sendAuthOffStillUsesThemForTheLookupOnly() throws Exception {
        RegistryCredentials credentials = credentials();
        swarm.digests.put(PRIVATE, DIGEST);
        swarm.digests.put("web:1", "sha256:aaa");
        swarm.privateImages.put(PRIVATE, credentials.forImage(PRIVATE).orElseThrow().header());
        ReconcileResult result = run(reconciler(credentials, false));
        assertEquals(ReconcileResult.Outcome.APPLIED, result.outcome(), result.message());
        assertTrue(swarm.authSent.isEmpty(), swarm.authSent.keySet().toString());
    }

    @Test
    void withoutCredentialsTheServiceWaitsWithTheRegistryNamedAndTheRestIsWritten() {
        swarm.digests.put(PRIVATE, DIGEST);
        swarm.digests.put("web:1", "sha256:aaa");
        swarm.privateImages.put(PRIVATE, AUTH.header());
        ReconcileResult result = run(reconciler(RegistryCredentials.none(), true));
        assertEquals(ReconcileResult.Outcome.TRANSIENT_FAILURE, result.outcome(), result.message());
        assertEquals("stack s: service s_app not written: image " + PRIVATE + ": registry reg.example.test:5001 requires"
                + " credentials and stackwarden.registry.auth-file has none for it (1 other write(s) made)", result.message());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "s_web").isPresent());
        assertTrue(swarm.find(SwarmObject.Kind.SERVICE, "s_app").isEmpty());
    }

    @Test
    void refusedCredentialsAreSaidSoWithoutShowingThem() throws Exception {
        swarm.digests.put(PRIVATE, DIGEST);
        swarm.digests.put("web:1", "sha256:aaa");
        swarm.privateImages.put(PRIVATE, "something else");
        ReconcileResult result = run(reconciler(credentials(), true));
        assertEquals(ReconcileResult.Outcome.TRANSIENT_FAILURE, result.outcome(), result.message());
        assertTrue(result.message().contains("registry reg.example.test:5001 refused the credentials"), result.message());
        assertFalse(result.message().contains("hunter2") || result.message().contains("robot"), result.message());
    }
}
