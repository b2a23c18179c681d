package io.stackwarden.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The REST API over the test profile: two stacks on disk (alpha valid, broken invalid), a token
 * file, and no engine (so syncs end in "retrying"). The API against the lab is covered by ITs.
 */
@QuarkusTest
class StacksResourceTest {

    private static final String TOKEN = "Bearer test-token-0123456789";

    @Test
    void listsEveryStackOfTheDesiredState() {
        given().header("Authorization", TOKEN).get("/api/v1/stacks").then().statusCode(200)
                .body("stack", hasItems("alpha", "broken"));
    }

    @Test
    void showsOneStackAndRefusesUnknownOrInvalidNames() {
        given().header("Authorization", TOKEN).get("/api/v1/stacks/alpha").then().statusCode(200)
                .body("stack", equalTo("alpha")).body("sync", notNullValue()).body("health", notNullValue());
        given().header("Authorization", TOKEN).get("/api/v1/stacks/nope").then().statusCode(404)
                .body("error", containsString("no stack nope"));
        given().header("Authorization", TOKEN).get("/api/v1/stacks/bad.name").then().statusCode(400)
                .body("error", containsString("invalid stack name"));
    }

    /** A token is configured and stackwarden.api.read-requires-token is on by default: reads need it too. */
    @Test
    void readOnlyCallsNeedTheTokenButHealthAndMetricsDoNot() {
        for (String path : new String[] {"/api/v1/stacks", "/api/v1/stacks/alpha", "/api/v1/stacks/nope", "/api/v1/source"}) {
            given().get(path).then().statusCode(401).body("error", containsString("bearer token"));
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
        }
        given().header("Authorization", TOKEN).get("/api/v1/source").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void diffReportsInvalidFilesUnknownStacksAndADeadEngine() {
        given().get("/api/v1/stacks/alpha/diff").then().statusCode(401);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/broken/diff").then().statusCode(409)
                .body("error", containsString("no_such_key"));
        given().header("Authorization", TOKEN).get("/api/v1/stacks/nope/diff").then().statusCode(404);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/bad.name/diff").then().statusCode(400);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/alpha/diff").then().statusCode(503)
                .body("error", containsString("engine did not answer"));
    }

    @Test
    void mutatingEndpointsNeedTheBearerToken() {
        for (String path : new String[] {"/api/v1/stacks/alpha/sync", "/api/v1/sync",
                "/api/v1/stacks/alpha/suspend", "/api/v1/stacks/alpha/resume"}) {
            given().post(path).then().statusCode(401).body("error", containsString("bearer token"));
            given().header("Authorization", "Bearer wrong").post(path).then().statusCode(401);
            given().header("Authorization", "Basic dGVzdA==").post(path).then().statusCode(401);
        }
    }

    @Test
    void syncIsAcceptedWithAnOperationIdAndCanBeAwaited() {
        given().header("Authorization", TOKEN).post("/api/v1/stacks/alpha/sync").then().statusCode(202)
                .body("operationId", notNullValue()).body("stack", equalTo("alpha"));
        given().header("Authorization", TOKEN).queryParam("wait", true).post("/api/v1/stacks/alpha/sync")
                .then().statusCode(200)
                .body("result", equalTo("retrying"))
                .body("message", containsString("engine did not answer"));
        given().header("Authorization", TOKEN).post("/api/v1/stacks/nope/sync").then().statusCode(404);
        given().header("Authorization", TOKEN).post("/api/v1/stacks/bad.name/sync").then().statusCode(400);
    }

    @Test
    void syncAllQueuesEveryStack() {
        given().header("Authorization", TOKEN).post("/api/v1/sync").then().statusCode(202)
                .body("stack", hasItems("alpha", "broken"));
    }

    /** alpha cannot reach the engine (retrying), broken has invalid files (failed): the whole sync failed. */
    @Test
    void syncAllCanBeAwaitedAndFailsWhenAnyStackFailed() {
        given().header("Authorization", TOKEN).queryParam("wait", true).post("/api/v1/sync")
                .then().statusCode(409)
                .body("result", equalTo("failed"))
                .body("pending", org.hamcrest.Matchers.empty())
                .body("finished.find { it.stack == 'alpha' }.result", equalTo("retrying"))
                .body("finished.find { it.stack == 'alpha' }.message", containsString("engine did not answer"))
                .body("finished.find { it.stack == 'broken' }.result", equalTo("failed"))
                .body("finished.find { it.stack == 'broken' }.message", containsString("no_such_key"))
                .body("finished.find { it.stack == 'broken' }.operationId", notNullValue());
    }

    @Test
    void invalidFilesEndTheSyncAsFailedWithTheCause() {
        given().header("Authorization", TOKEN).queryParam("wait", true).post("/api/v1/stacks/broken/sync")
                .then().statusCode(200).body("result", equalTo("failed")).body("message", containsString("no_such_key"));
    }

    @Test
    void suspendAndResume() {
        given().header("Authorization", TOKEN).post("/api/v1/stacks/alpha/suspend").then().statusCode(200)
                .body("status.health", equalTo("Suspended"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("stackwarden_stack_info{health=\"Suspended\",stack=\"alpha\""))
                .body(containsString("stackwarden_stack_transitions_total{health=\"Suspended\",stack=\"alpha\""));
        given().header("Authorization", TOKEN).post("/api/v1/stacks/alpha/resume").then().statusCode(200)
                .body("status.health", equalTo("Unknown"));
    }

    @TestHTTPResource("/")
    URL root;

    /** The server refuses a declared oversized body before reading it, so the request is sent by hand. */
    @Test
    void oversizedBodiesAreRefused() throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/sync HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + TOKEN
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 2097152\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), statusLine);
        }
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/stacks/{name}/diff"))
                .body(containsString("StackStatus")).body(containsString("SourceStatus"));
    }
}
