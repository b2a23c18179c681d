package io.stackwarden.desired;

import io.stackwarden.compose.ServiceExtension;
import io.stackwarden.compose.engine.StackObject;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rebalance} in {@code stackwarden.yaml}, and a service's own {@code x-stackwarden} over it. */
class RebalanceSettingTest {

    private static final List<StackObject> SERVICES = List.of(service("web"), service("db"), service("api"));

    private static StackObject service(String key) {
        return new StackObject(key, "shop_" + key, JsonNodeFactory.instance.objectNode(), true);
    }

    @Test
    void offByDefaultTrueForAllOrAListOfServicesPerStackOrInTheDefaults() {
        WorkspaceSettings settings = WorkspaceSettings.from(Map.of(
                "defaults", Map.of("rebalance", true),
                "stacks", Map.of("shop", Map.of("rebalance", List.of("web", "api")), "db", Map.of("rebalance", false),
                        "other", Map.of("prune", true))));
        assertEquals(Set.of("shop_web", "shop_api"), settings.forStack("shop").rebalance().of(SERVICES, Map.of()));
        assertEquals(Set.of(), settings.forStack("db").rebalance().of(SERVICES, Map.of()));
        assertEquals(RebalanceSetting.ALL, settings.forStack("other").rebalance());
        assertEquals(RebalanceSetting.OFF, WorkspaceSettings.from(null).forStack("shop").rebalance());
    }

    @Test
    void aServicesOwnExtensionOverridesTheStacksSettingEitherWay() {
        Map<String, ServiceExtension> extensions = Map.of(
                "web", new ServiceExtension(Optional.of(false)), "db", new ServiceExtension(Optional.of(true)),
                "api", ServiceExtension.NONE);
        assertEquals(Set.of("shop_db", "shop_api"), RebalanceSetting.ALL.of(SERVICES, extensions));
        assertEquals(Set.of("shop_db"), RebalanceSetting.OFF.of(SERVICES, extensions));
    }

    @Test
    void anythingElseIsAnErrorNamingTheKey() {
        for (Object bad : Arrays.asList("yes", 1, List.of("web", 2), List.of(""), Map.of("web", true), null)) {
            java.util.Map<String, Object> stack = new java.util.HashMap<>();
            stack.put("rebalance", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorkspaceSettings.from(Map.of("stacks", Map.of("web", stack))), String.valueOf(bad));
            assertEquals("stacks.web.rebalance must be true, false or a list of service names", e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkspaceSettings.from(Map.of("defaults",
                Map.of("rebalence", true)))).getMessage().contains("unknown key \"rebalence\""));
    }
}
