package io.stackwarden.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** GET /api/v1/cluster and the swarm-quorum readiness check, with no engine behind them (the test profile). */
@QuarkusTest
class ClusterResourceTest {

    @Test
    void theClusterViewNeedsTheTokenAndSaysWhatItCouldNotRead() {
        given().get("/api/v1/cluster").then().statusCode(401);
        given().header("Authorization", "Bearer test-token-0123456789").get("/api/v1/cluster").then().statusCode(200)
                .body("cluster.quorum", equalTo("UNKNOWN"))
                .body("cluster.problem", notNullValue())
                .body("stacksNotConverged", notNullValue());
    }

    @Test
    void anUnknownQuorumDoesNotMakeItUnready() {
        // Readiness is down here anyway (no engine); the quorum check itself stays up while quorum is not known.
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'swarm-quorum' }.status", equalTo("UP"))
                .body("checks.name", hasItem("swarm-quorum"));
    }
}
