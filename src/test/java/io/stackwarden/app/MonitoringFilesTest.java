package io.stackwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules and the Grafana dashboard in k8s-free-deploy: promtool checks and unit-tests the rules
 * (Debian's prometheus package, installed by {@code make test-packages}), and both use only metrics the code
 * registers.
 */
class MonitoringFilesTest {

    private static final Path PROMETHEUS = Path.of("k8s-free-deploy/prometheus");
    private static final Path RULES = PROMETHEUS.resolve("stackwarden-alerts.yml");
    private static final Path DASHBOARD = Path.of("k8s-free-deploy/grafana/stackwarden.json");
    /** A metric name as Micrometer is given it in the code: {@code "stackwarden.engine.ready"}. */
    private static final Pattern REGISTERED = Pattern.compile("\"(stackwarden(\\.[a-z]+)+)\"");
    private static final Pattern USED = Pattern.compile("stackwarden_[a-z_]+");

    private static String promtool(String... args) throws Exception {
        Path promtool = Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("promtool is not installed: run `make test-packages` "
                        + "(bash scripts/ensure-packages.sh prometheus)"));
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not end");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertTrue(promtool("check", "rules", RULES.getFileName().toString()).contains("SUCCESS"));
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        assertTrue(promtool("test", "rules", "stackwarden-alerts.test.yml").contains("SUCCESS"));
    }

    /** Names registered in the main sources, as Prometheus shows them (counters also with {@code _total}). */
    private static Set<String> registeredMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                if (!source.contains("io.micrometer")) {
                    continue;
                }
                Matcher matcher = REGISTERED.matcher(source);
                while (matcher.find()) {
                    String name = matcher.group(1).replace('.', '_');
                    names.add(name);
                    names.add(name + "_total");
                }
            }
        }
        return names;
    }

    private static Set<String> used(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = USED.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    @Test
    void rulesAndDashboardUseOnlyMetricsThatExist() throws Exception {
        Set<String> registered = registeredMetrics();
        assertTrue(registered.contains("stackwarden_stack_info"), registered.toString());
        Set<String> rules = used(Files.readString(RULES));
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        StringBuilder expressions = new StringBuilder();
        dashboard.findValues("expr").forEach(expr -> expressions.append(expr.asText()).append('\n'));
        Set<String> panels = used(expressions.toString());
        for (Set<String> names : List.of(rules, panels)) {
            assertFalse(names.isEmpty());
            Set<String> unknown = new TreeSet<>(names);
            unknown.removeAll(registered);
            assertEquals(Set.of(), unknown, "metrics no code registers");
        }
    }

    @Test
    void theDashboardIsGrafanaJsonOnAChosenPrometheus() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertEquals("stackwarden", dashboard.path("uid").asText());
        assertEquals("datasource", dashboard.path("templating").path("list").get(0).path("type").asText());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique");
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
                assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            }
        }
    }
}
