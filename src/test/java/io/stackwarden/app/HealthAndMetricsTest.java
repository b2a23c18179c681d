package io.stackwarden.app;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stackwarden.support.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The test profile points at an engine that is not there: the daemon must live on, not ready. */
@QuarkusTest
class HealthAndMetricsTest {

    /** The read-only API needs the test profile's token (stackwarden.api.read-requires-token). */
    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer test-token-0123456789");
    }

    @Test
    void liveWithoutAnEngine() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("engine-monitor"));
    }

    @Test
    void notReadyWithoutAnEngineAndSaysWhy() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'docker-engine' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'docker-engine' }.data.problem", containsString("engine did not answer"));
    }

    @Test
    void metricsReportTheEngineAsNotReadyAndTheCacheAsNotFresh() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("stackwarden_engine_ready 0.0"))
                .body(containsString("stackwarden_engine_probe_failures"))
                .body(containsString("stackwarden_engine_cache_fresh 0.0"))
                .body(containsString("stackwarden_engine_cache_objects 0.0"));
    }

    @Test
    void metricsCountRemediesFromZero() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("stackwarden_remedies_total{outcome=\"applied\",remedy=\"network-not-found\"} 0.0"))
                .body(containsString("stackwarden_remedies_total{outcome=\"applied\",remedy=\"rebalance\"} 0.0"))
                .body(containsString("stackwarden_remedies_total{outcome=\"failed\",remedy=\"rebalance\"} 0.0"))
                .body(containsString("stackwarden_remedies_total{outcome=\"exhausted\",remedy=\"global-complete\"} 0.0"));
    }

    /** The test profile's desired state is a plain folder: the source is read at start-up and watched. */
    @Test
    void theDesiredSourceIsReportedInHealthMetricsAndTheApi() throws Exception {
        Await.until("the source is read", Duration.ofSeconds(20), () -> {
            JsonPath source = api().get("/api/v1/source").jsonPath();
            return source.getBoolean("readable") && !source.getBoolean("stale");
        }, () -> api().get("/api/v1/source").asString());
        api().get("/api/v1/source").then().statusCode(200)
                .body("kind", equalTo("folder"))
                .body("revision", startsWith("dir:"))
                .body("lastFetch", notNullValue());
        given().when().get("/q/health/ready")
                .then().body("checks.find { it.name == 'desired-source' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'desired-source' }.data.kind", equalTo("folder"));
        given().when().get("/q/metrics")
                .then().body(containsString("stackwarden_source_stale 0.0"))
                .body(containsString("stackwarden_source_fetches_total{result=\"success\"}"))
                .body(containsString("stackwarden_source_fetches_total{result=\"failure\"} 0.0"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    /** A request declaring a body over the global limit: refused (413) before any route is matched. */
    private int declaredTooLarge(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2097152\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** Junk URLs share one uri tag each (NOT_FOUND, UNKNOWN), so they cannot use up the budget of 100 uri tags. */
    @Test
    void junkUrlsDoNotUseUpTheUriTagsOfRealEndpoints() throws Exception {
        for (int i = 0; i < 75; i++) {
            given().get("/junk/" + i).then().statusCode(404);
            org.junit.jupiter.api.Assertions.assertEquals(413, declaredTooLarge("/junk-large/" + i));
        }
        // A series no other test creates: a real endpoint answering 400.
        given().header("Authorization", "Bearer test-token-0123456789").post("/api/v1/stacks/bad.name/suspend")
                .then().statusCode(400);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("status=\"400\",uri=\"/api/v1/stacks/{name}/suspend\""))
                .body(containsString("uri=\"NOT_FOUND\""))
                .body(containsString("status=\"413\",uri=\"UNKNOWN\""))
                .body(org.hamcrest.Matchers.not(containsString("/junk")));
    }
}
