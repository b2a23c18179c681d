package io.stackwarden.compose.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * {@code healthcheck:} to the container {@code HealthConfig}. {@code disable: true} becomes the
 * engine's {@code ["NONE"]} test; a string test is run by the shell ({@code CMD-SHELL}). Unset
 * durations and retries stay out, so the image's own values apply.
 */
final class Healthchecks {

    private Healthchecks() {
    }

    static ObjectNode convert(JsonNode healthcheck, String where) {
        if (healthcheck == null) {
            return null;
        }
        List<String> test = test(healthcheck, where);
        ObjectNode result = Json.object();
        if (Fields.bool(healthcheck, "disable", where)) {
            if (test != null && !test.isEmpty()) {
                throw new ConvertException(where + "test and disable can't be set at the same time");
            }
            result.set("Test", Json.strings(List.of("NONE")));
            return result;
        }
        Json.putIfNotEmpty(result, "Test", test);
        Json.putIfNotZero(result, "Interval", Durations.nanos(healthcheck, "interval", where));
        Json.putIfNotZero(result, "Timeout", Durations.nanos(healthcheck, "timeout", where));
        Json.putIfNotZero(result, "StartPeriod", Durations.nanos(healthcheck, "start_period", where));
        Json.putIfNotZero(result, "StartInterval", Durations.nanos(healthcheck, "start_interval", where));
        Json.putIfNotZero(result, "Retries", Fields.nonNegative(healthcheck, "retries", where));
        return result;
    }

    private static List<String> test(JsonNode healthcheck, String where) {
        JsonNode node = healthcheck.get("test");
        if (node != null && node.isTextual()) {
            return List.of("CMD-SHELL", node.textValue());
        }
        return Fields.strings(healthcheck, "test", where);
    }
}
