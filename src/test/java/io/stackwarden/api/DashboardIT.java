package io.stackwarden.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.lab.Browser;
import io.stackwarden.lab.Daemon;
import io.stackwarden.lab.Lab;
import io.stackwarden.support.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (Debian's headless Chromium through Selenium) against the packaged daemon on
 * the lab. Three stacks of its own: {@code dshok} (self-heal on), {@code dshdrift} (self-heal off, so drift
 * stays until someone syncs) and {@code dshbad} (invalid files). Viewing is open
 * ({@code stackwarden.api.read-requires-token=false}); actions need the token. A second daemon, with reads
 * closed, shows the page asking for the token first. Screenshots of the pages go to {@code docs/}.
 */
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RUN = Long.toString(Math.abs(new Random().nextLong()) % 46656, 36);
    private static final String OK = "dshok" + RUN;
    private static final String DRIFT = "dshdrift" + RUN;
    private static final String BAD = "dshbad" + RUN;
    private static final String TOKEN = "dashboard-it-token-" + RUN;
    private static final List<String> DEPLOYED = new ArrayList<>();

    @TempDir
    static Path work;
    private static Daemon daemon;
    private static Browser browser;

    @BeforeAll
    static void startDaemonAndBrowser() throws Exception {
        Path desired = Files.createDirectories(work.resolve("desired"));
        Files.writeString(desired.resolve("stackwarden.yaml"), """
                # prune off: the lab is shared, and other stacks managed by Stackwarden are not in this directory
                defaults: {resolveImage: never, prune: false}
                stacks:
                  %s: {selfHeal: false}
                """.formatted(DRIFT));
        for (String stack : List.of(OK, DRIFT)) {
            DEPLOYED.add(stack);
            stack(desired, stack, """
                    services:
                      app:
                        image: %s/stackwarden-lab/sleep:1
                        environment: {A: "1"}
                        stop_grace_period: 1s
                        deploy: {replicas: 1}
                    """.formatted(Lab.registry()));
        }
        stack(desired, BAD, "services:\n  app:\n    image: busybox:1\n    deploy: {replicas: many}\n");
        Path token = work.resolve("token");
        Files.writeString(token, TOKEN);
        daemon = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_API_TOKEN_FILE", token.toString(),
                "STACKWARDEN_API_READ_REQUIRES_TOKEN", "false",
                "STACKWARDEN_SOURCE_SCAN_INTERVAL", "1s",
                "STACKWARDEN_RESYNC_INTERVAL", "1h"));
        for (String stack : List.of(OK, DRIFT)) {
            daemon.await("/api/v1/stacks/" + stack, r -> r.status() == 200 && r.body().contains("\"sync\":\"Synced\"")
                    && r.body().contains("\"health\":\"Healthy\""), Duration.ofSeconds(120));
        }
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (daemon != null) {
            daemon.closeKeepingLog("DashboardIT");
        }
        for (String stack : DEPLOYED) {
            try {
                Lab.docker("stack", "rm", stack);
            } catch (IllegalStateException e) {
                // already gone
            }
        }
    }

    @Test
    void theListShowsEachStackAsTheDaemonReportsIt() {
        openList(daemon);
        for (String stack : List.of(OK, DRIFT, BAD)) {
            JsonNode status = status(stack);
            awaitTrue(stack + " shows " + status.path("sync").asText() + "/" + status.path("health").asText(),
                    () -> cell(stack, "Sync").equals(status.path("sync").asText())
                            && cell(stack, "Health").equals(status.path("health").asText()));
        }
        assertEquals("app 1/1", cell(OK, "Services"));
        assertTrue(cell(OK, "Last operation").contains("succeeded"), cell(OK, "Last operation"));
        assertTrue(cell(OK, "Revision").startsWith("dir:"), cell(OK, "Revision"));
        assertTrue(cell(BAD, "Last operation").contains("failed"), cell(BAD, "Last operation"));
        assertTrue(cell(BAD, "Message").contains("replicas"), cell(BAD, "Message"));
        assertTrue(browser.text("#source-facts").contains("folder"), browser.text("#source-facts"));
        assertTrue(browser.text("#cluster-facts").contains("HELD"), browser.text("#cluster-facts"));
        awaitTrue("the lab's nodes listed", () -> browser.all("#nodes tr").size() >= 3);
        Boolean labelled = browser.script("return [...document.querySelectorAll('input, select')]"
                + ".every(e => e.labels.length > 0)");
        assertTrue(labelled, "every control has a label");
    }

    /** The page's own code, run in the browser: which remotes give a commit link, never with credentials. */
    @Test
    void aGitCommitLinksToItsPageOnlyForWebRemotesAndWithoutCredentials() {
        openList(daemon);
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertEquals("https://git.example.org/ops/stacks/commit/" + sha,
                commitLink("https://deploy:s3cret@git.example.org/ops/stacks.git", "git:" + sha));
        assertEquals("https://git.example.org/group/sub/stacks/commit/" + sha,
                commitLink("https://git.example.org/group/sub/stacks/", "git:" + sha));
        assertNull(commitLink("git@git.example.org:ops/stacks.git", "git:" + sha));
        assertNull(commitLink("file:///srv/stacks.git", "git:" + sha));
        assertNull(commitLink("https://git.example.org/ops/stacks.git", "dir:0123456789ab"));
    }

    /**
     * Out-of-band scale of a stack without self-heal: the open list turns it OutOfSync without a reload; on its page
     * the sync is refused without the token and heals it with the token.
     */
    @Test
    void aDriftedStackTurnsOutOfSyncAndASyncWithTheTokenBringsItBack() throws IOException {
        openList(daemon);
        browser.script("window.notReloaded = true");
        Lab.docker("service", "scale", "-d", DRIFT + "_app=2");
        awaitTrue("the list shows " + DRIFT + " OutOfSync", () -> cell(DRIFT, "Sync").equals("OutOfSync"));
        assertEquals(Boolean.TRUE, browser.script("return window.notReloaded === true"), "updated without a reload");

        new Select(browser.element("#f-sync")).selectByVisibleText("OutOfSync");
        assertEquals(List.of(DRIFT), visibleStacks(), "the filter leaves the drifted stack only");
        new Select(browser.element("#f-sync")).selectByVisibleText("any");
        assertTrue(visibleStacks().containsAll(List.of(OK, DRIFT, BAD)));
        browser.screenshot(Path.of("docs", "dashboard-list.png"), 1280);

        browser.element("tr[data-stack='" + DRIFT + "'] th a").click();
        awaitTrue("the stack page shows the difference", () -> browser.text("#service-rows").contains("/Mode/Replicated/Replicas"));
        assertEquals("OutOfSync", browser.text("#sync"));
        browser.element("#do-sync").click();
        awaitTrue("the sync is refused without the token", () -> browser.text("#action-result").contains("refused"));
        assertTrue(browser.text("#action-result").contains("bearer token"), browser.text("#action-result"));
        assertEquals("2", replicas(DRIFT + "_app"), "the refused sync wrote nothing");
        assertEquals("OutOfSync", status(DRIFT).path("sync").asText());

        // The refusal opened the token form; typed and sent with the keyboard.
        WebElement input = browser.element("#token");
        input.sendKeys(TOKEN);
        input.sendKeys(Keys.ENTER);
        awaitTrue("the diff shows the replicas, live 2 and desired 1", () -> browser.text("#diff-body")
                .matches("(?s).*/Mode/Replicated/Replicas\\s+2\\s+1.*"));
        assertFalse(browser.url().contains(TOKEN), "the token is never in the URL");
        browser.screenshot(Path.of("docs", "dashboard-stack.png"), 1280);

        browser.element("#do-sync").click();
        awaitTrue("the sync succeeded", () -> browser.text("#action-result").startsWith("Sync succeeded"));
        awaitTrue("the page shows Synced", () -> browser.text("#sync").equals("Synced"));
        assertEquals("1", replicas(DRIFT + "_app"));
        awaitTrue("the newest pass is the manual one, with its write", () -> {
            String newest = browser.text("#operation-rows tr:first-child");
            return newest.contains("manual") && newest.contains("succeeded") && newest.contains("update service " + DRIFT + "_app");
        });

        openList(daemon);
        awaitTrue("the list shows " + DRIFT + " Synced again", () -> cell(DRIFT, "Sync").equals("Synced"));
    }

    @Test
    void suspendAndResumeFromTheStackPage() {
        browser.open(daemon.baseUrl() + "/stack.html?name=" + OK);
        browser.script("sessionStorage.setItem('stackwarden.api-token', arguments[0])", TOKEN);
        browser.open(daemon.baseUrl() + "/stack.html?name=" + OK);
        awaitTrue("the page shows Healthy", () -> browser.text("#health").equals("Healthy"));
        browser.element("#do-suspend").click();
        awaitTrue("suspended", () -> browser.text("#health").equals("Suspended"));
        assertTrue(browser.text("#action-result").startsWith("Suspend succeeded"), browser.text("#action-result"));
        browser.element("#do-resume").click();
        awaitTrue("resumed and healthy", () -> browser.text("#health").equals("Healthy"));
        assertEquals("Synced", status(OK).path("sync").asText());
    }

    @Test
    void syncAllFromTheListNeedsTheTokenAndGivesEveryStackAPass() {
        openList(daemon);
        browser.element("#do-sync-all").click();
        awaitTrue("sync all is refused without the token", () -> browser.text("#action-result").contains("refused"));
        assertEquals(Boolean.TRUE, browser.script("return document.getElementById('token-panel').open"),
                "the refusal opens the token form");

        Instant asked = Instant.now();
        browser.script("sessionStorage.setItem('stackwarden.api-token', arguments[0])", TOKEN);
        browser.open(daemon.baseUrl() + "/");
        awaitTrue("the list rendered", () -> browser.find("body[data-renders]").isPresent());
        browser.element("#do-sync-all").click();
        awaitTrue("queued", () -> browser.text("#action-result").matches("Sync all: \\d+ stack\\(s\\) queued for a pass\\."));
        for (String stack : List.of(OK, DRIFT)) {
            awaitTrue(stack + " had a requested pass", () -> {
                JsonNode operation = status(stack).path("lastOperation");
                return operation.path("triggers").toString().contains("MANUAL")
                        && Instant.parse(operation.path("started").asText()).isAfter(asked);
            });
        }
    }

    /** A narrow window (a phone held upright) shows every column without scrolling sideways. */
    @Test
    void aNarrowWindowNeedsNoSidewaysScrolling() throws IOException {
        browser.resize(400, 900);
        try {
            openList(daemon);
            awaitTrue("rows as cards", () -> "block".equals(browser.script(
                    "return getComputedStyle(document.querySelector('#rows td')).display")));
            Boolean fits = browser.script("return document.documentElement.scrollWidth <= window.innerWidth");
            assertTrue(fits, "no sideways scrolling");
            browser.screenshot(Path.of("docs", "dashboard-narrow.png"), 400);
        } finally {
            browser.resize(1280, 900);
        }
    }

    /** With reads closed (the default when a token file is set), the page asks for the token before it shows anything. */
    @Test
    void closedViewingAsksForTheTokenFirst() throws Exception {
        String held = "dshheld" + RUN;
        Path desired = Files.createDirectories(work.resolve("closed"));
        Files.writeString(desired.resolve("stackwarden.yaml"),
                "defaults: {resolveImage: never, prune: false}\nstacks:\n  %s: {suspend: true}\n".formatted(held));
        stack(desired, held, "services:\n  app:\n    image: %s/stackwarden-lab/sleep:1\n".formatted(Lab.registry()));
        try (Daemon closed = Daemon.startReady(Map.of(
                "DOCKER_HOST", Lab.dockerHost(),
                "STACKWARDEN_DESIRED_DIR", desired.toString(),
                "STACKWARDEN_API_TOKEN_FILE", work.resolve("token").toString(),
                "STACKWARDEN_RESYNC_INTERVAL", "1h"))) {
            browser.open(closed.baseUrl() + "/");
            awaitTrue("the token is asked for", () -> browser.text("#notice").contains("needs the API token"));
            assertTrue(browser.all("#rows tr").isEmpty(), "nothing is shown without the token");
            assertEquals(Boolean.TRUE, browser.script("return document.getElementById('token-panel').open"));

            browser.element("#token").sendKeys("not-the-token", Keys.ENTER);
            awaitTrue("a wrong token is refused too: the form opens again", () -> browser.text("#token-state")
                    .contains("set for this session") && Boolean.TRUE.equals(browser.script(
                    "return document.getElementById('token-panel').open")));
            assertTrue(browser.all("#rows tr").isEmpty(), "nothing is shown with a wrong token");
            browser.element("#token").sendKeys(TOKEN, Keys.ENTER);
            awaitTrue("the stack is shown once the token is given", () -> cell(held, "Health").equals("Suspended"));
            assertTrue(browser.text("#notice").isEmpty(), browser.text("#notice"));
        }
    }

    // --- helpers ---

    private static void stack(Path desired, String stack, String compose) throws IOException {
        // Written aside and moved in whole, so the folder scan never sees half a stack.
        Path staging = Files.createDirectories(work.resolve("staging").resolve(stack));
        Files.writeString(staging.resolve("compose.yaml"), compose);
        Files.move(staging, desired.resolve(stack));
    }

    /** Opens the list without a token (forgotten from the browser session) and waits for its first render. */
    private static void openList(Daemon d) {
        browser.open(d.baseUrl() + "/");
        browser.script("sessionStorage.clear()");
        browser.open(d.baseUrl() + "/");
        awaitTrue("the list rendered", () -> browser.find("body[data-renders]").isPresent());
    }

    private static String cell(String stack, String label) {
        return browser.text("tr[data-stack='" + stack + "'] [data-label='" + label + "']");
    }

    private static List<String> visibleStacks() {
        return browser.script("return [...document.querySelectorAll('#rows tr')].filter(r => !r.hidden)"
                + ".map(r => r.dataset.stack).filter(s => s.endsWith(arguments[0]))", RUN);
    }

    private static String commitLink(String url, String revision) {
        return browser.script("return window.stackwarden.commitLink(arguments[0], arguments[1])", url, revision);
    }

    private static JsonNode status(String stack) {
        return daemon.getJson("/api/v1/stacks/" + stack);
    }

    private static String replicas(String service) {
        return Lab.docker("service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", service).trim();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition, () -> "--- page ---\n" + browser.text("body") + "\n--- daemon output (tail) ---\n"
                + tail(daemon.output()));
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
