package io.stackwarden.app;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
}
