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
    void metricsReportTheEngineAsNotReady() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("stackwarden_engine_ready 0.0"))
                .body(containsString("stackwarden_engine_probe_failures"));
    }

    @Test
    void metricsCountRemediesFromZero() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("stackwarden_remedies_total{remedy=\"network-not-found\"} 0.0"));
    }

    /** The test profile's desired state is a plain folder: the source is read at start-up and watched. */
    @Test
    void theDesiredSourceIsReportedInHealthMetricsAndTheApi() throws Exception {
        Await.until("the source is read", Duration.ofSeconds(20), () -> {
            JsonPath source = given().get("/api/v1/source").jsonPath();
            return source.getBoolean("readable") && !source.getBoolean("stale");
        }, () -> given().get("/api/v1/source").asString());
        given().get("/api/v1/source").then().statusCode(200)
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
}
