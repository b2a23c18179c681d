package io.stackwarden.api;

import io.quarkus.test.junit.QuarkusTest;
import io.stackwarden.support.ConstantTime;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * A replica that runs for the lease but cannot reach it (no engine in this profile) is a standby that knows no
 * leader: it serves read-only calls and says what it is, and answers every mutating call and webhook with 503 and
 * Retry-After, never a silent loss. Handing requests to a known leader is tested with two daemons on the lab
 * ({@code LeaderIT}).
 */
@QuarkusTest
@TestProfile(StandbyApiTest.Standby.class)
class StandbyApiTest {

    private static final String TOKEN = "Bearer test-token-0123456789";

    public static class Standby implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stackwarden.leader.enabled", "true", "stackwarden.leader.retry-period", "200ms",
                    "stackwarden.leader.renew-deadline", "1s", "stackwarden.leader.lease-duration", "2s");
        }
    }

    @Test
    void readsAreServedAndSayTheyComeFromAStandby() {
        given().header("Authorization", TOKEN).get("/api/v1/stacks").then().statusCode(200)
                .header("X-Stackwarden-Role", "standby").body("stack", hasItems("alpha", "broken"));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'leader-election' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'leader-election' }.data.role", equalTo("standby"))
                .body("checks.find { it.name == 'leader-election' }.data.acting", equalTo(false));
        given().get("/q/metrics").then().body(containsString("stackwarden_leader 0.0"));
    }

    @Test
    void mutatingCallsAndWebhooksGetA503NamingTheMissingLeader() {
        for (String path : new String[] {"/api/v1/stacks/alpha/sync", "/api/v1/sync", "/api/v1/stacks/alpha/suspend",
                "/api/v1/stacks/alpha/resume"}) {
            given().header("Authorization", TOKEN).post(path).then().statusCode(503)
                    .header("Retry-After", "5").body("error", containsString("standby: no leader is known yet"));
        }
        given().post("/api/v1/stacks/alpha/sync").then().statusCode(401);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(ConstantTime.hmacSha256(
                "test-webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8), body));
        given().contentType("application/json").header("X-Stackwarden-Signature", signature).body(body)
                .post("/api/v1/webhooks/generic").then().statusCode(503).body("error", containsString("standby"));
    }

    @Test
    void anUnsignedOrForgedWebhookGets401FromTheStandbyItselfNotAHandOver() {
        given().contentType("application/json").body("{}").post("/api/v1/webhooks/generic").then().statusCode(401)
                .body("error", containsString("unsigned request"));
        given().contentType("application/json").header("X-Stackwarden-Signature", "sha256=" + "0".repeat(64)).body("{}")
                .post("/api/v1/webhooks/generic").then().statusCode(401).body("error", containsString("wrong signature"));
    }
}
