package io.stackwarden.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The dashboard's files and the API calls it makes, over the test profile (a token file, reads need it, no
 * engine). The pages in a real browser against the lab: {@code DashboardIT}.
 */
@QuarkusTest
class DashboardTest {

    private static final String TOKEN = "Bearer test-token-0123456789";
    private static final Path FILES = Path.of("src/main/resources/META-INF/resources");

    @Test
    void thePagesAreServedWithoutTheTokenAndUnderAStrictContentPolicy() {
        given().get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<h1>Stacks</h1>"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Referrer-Policy", equalTo("no-referrer"));
        given().get("/stack.html").then().statusCode(200).contentType(startsWith("text/html"));
        given().get("/dashboard/list.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/dashboard/dashboard.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    /** Everything comes from the jar: no file refers to another host (no CDN, no font service). */
    @Test
    void everyFileIsServedAndNamesNoOtherHost() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(FILES)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String path = "/" + FILES.relativize(file).toString().replace('\\', '/');
            String body = given().get(path).then().statusCode(200).extract().asString();
            // An XML namespace (the SVG icon's) names no resource: nothing is fetched from it.
            assertFalse(body.replaceAll("xmlns(:\\w+)?=\"[^\"]*\"", "").contains("://"), path + " names another host");
        }
    }

    @Test
    void anUnchangedListOfStacksCostsA304() {
        Response first = given().header("Authorization", TOKEN).get("/api/v1/stacks");
        assertEquals(200, first.statusCode());
        String tag = first.header("ETag");
        assertNotNull(tag);
        given().header("Authorization", TOKEN).header("If-None-Match", tag).get("/api/v1/stacks")
                .then().statusCode(304);
        // A pass ends (no engine here: it retries) and changes the status: the list is sent again.
        given().header("Authorization", TOKEN).queryParam("wait", true).post("/api/v1/stacks/alpha/sync")
                .then().statusCode(200);
        Response changed = given().header("Authorization", TOKEN).header("If-None-Match", tag).get("/api/v1/stacks");
        assertEquals(200, changed.statusCode());
        assertNotEquals(tag, changed.header("ETag"));
        given().header("If-None-Match", tag).get("/api/v1/stacks").then().statusCode(401);
    }

    @Test
    void recentPassesNewestFirstUnderTheReadRule() {
        given().header("Authorization", TOKEN).queryParam("wait", true).post("/api/v1/stacks/broken/sync")
                .then().statusCode(200);
        given().get("/api/v1/stacks/broken/operations").then().statusCode(401);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/broken/operations").then().statusCode(200)
                .body("[0].triggers", org.hamcrest.Matchers.hasItem("MANUAL"))
                .body("[0].result", equalTo("failed"))
                .body("[0].message", containsString("no_such_key"));
        given().header("Authorization", TOKEN).get("/api/v1/stacks/nope/operations").then().statusCode(404);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/bad.name/operations").then().statusCode(400);
    }

    @Test
    void tasksAreReadFromTheEngineAndSayWhenItDoesNotAnswer() {
        given().get("/api/v1/stacks/alpha/tasks").then().statusCode(401);
        given().header("Authorization", TOKEN).get("/api/v1/stacks/alpha/tasks").then().statusCode(503)
                .body("error", containsString("engine did not answer"));
        given().header("Authorization", TOKEN).get("/api/v1/stacks/nope/tasks").then().statusCode(404);
    }
}
