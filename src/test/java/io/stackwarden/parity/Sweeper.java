package io.stackwarden.parity;

import io.stackwarden.compose.engine.StackLabels;
import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.reconcile.Ownership;
import io.stackwarden.swarm.EngineApi;
import io.stackwarden.swarm.EngineException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes what the suite deployed, only ever objects of its own {@code par*} stacks and {@code parzext_*}
 * externals. Services go at once (their published ports are free when the call returns); networks stay in use
 * until the tasks' containers have stopped, so whatever cannot be removed yet is retried later and
 * {@link #settle} waits for the rest at the end.
 */
final class Sweeper {

    private final EngineApi api;
    private final Set<String> pendingStacks = new LinkedHashSet<>();
    private final Set<String> pendingExternals = new LinkedHashSet<>();

    Sweeper(EngineApi api) {
        this.api = api;
    }

    /** Removes the services of {@code stack} now, and tries the rest. */
    void removeStack(String stack) {
        require(stack.startsWith("par"), stack);
        for (JsonNode service : list("services", "label", StackLabels.NAMESPACE + "=" + stack)) {
            delete("/services/" + service.path("ID").asText());
        }
        pendingStacks.add(stack);
        retry();
    }

    void removeExternal(String kind, String name) {
        require(name.startsWith(Preparer.EXTERNAL_PREFIX), name);
        pendingExternals.add(kind + "/" + name);
        retry();
    }

    /**
     * Waits (at most {@code seconds}) until the given stack has no network left in the swarm. A manager may go
     * on listing a removed overlay network for a while (its local copy); removing it then answers "not found",
     * which counts as gone.
     */
    boolean awaitNetworksGone(String stack, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            boolean left = false;
            for (JsonNode network : list("networks", "label", StackLabels.NAMESPACE + "=" + stack)) {
                left |= !delete("/networks/" + network.path("Id").asText());
            }
            if (!left) {
                return true;
            }
            sleep(250);
        }
        return false;
    }

    /** One pass over everything still pending; returns true when nothing is left. */
    boolean retry() {
        for (String stack : new ArrayList<>(pendingStacks)) {
            boolean left = false;
            for (String kind : List.of("services", "secrets", "configs", "networks")) {
                for (JsonNode object : list(kind, "label", StackLabels.NAMESPACE + "=" + stack)) {
                    left |= !delete("/" + kind + "/" + object.path(kind.equals("networks") ? "Id" : "ID").asText());
                }
            }
            if (!left) {
                pendingStacks.remove(stack);
            }
        }
        for (String external : new ArrayList<>(pendingExternals)) {
            String kind = external.substring(0, external.indexOf('/'));
            String name = external.substring(external.indexOf('/') + 1);
            boolean left = false;
            for (JsonNode object : list(kind + "s", "name", name)) {
                String objectName = kind.equals("network") ? object.path("Name").asText() : object.at("/Spec/Name").asText();
                if (objectName.equals(name)) {
                    left |= !delete("/" + kind + "s/" + object.path(kind.equals("network") ? "Id" : "ID").asText());
                }
            }
            if (!left) {
                pendingExternals.remove(external);
            }
        }
        return pendingStacks.isEmpty() && pendingExternals.isEmpty();
    }

    /** Waits until everything pending is gone; returns what is left after {@code seconds}. */
    List<String> settle(int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!retry() && System.nanoTime() < end) {
            sleep(500);
        }
        List<String> left = new ArrayList<>(pendingStacks);
        left.addAll(pendingExternals);
        return left;
    }

    /** Every stack of a previous, interrupted run: only names this suite uses. */
    void forgetNothingFromEarlierRuns() {
        Set<String> stacks = new LinkedHashSet<>();
        for (String kind : List.of("services", "secrets", "configs", "networks")) {
            for (JsonNode object : api.get("/" + kind)) {
                JsonNode labels = kind.equals("networks") ? object.path("Labels") : object.at("/Spec/Labels");
                String stack = labels.path(StackLabels.NAMESPACE).asText("");
                if (stack.matches("par(cli|sw)[0-9a-z]+[an]")) {
                    stacks.add(stack);
                }
                String name = kind.equals("networks") ? object.path("Name").asText() : object.at("/Spec/Name").asText();
                if ((name.startsWith(Preparer.EXTERNAL_PREFIX) || name.startsWith(Preparer.NAME_PREFIX)) && stack.isEmpty()) {
                    pendingExternals.add(kind.substring(0, kind.length() - 1) + "/" + name);
                }
            }
        }
        stacks.forEach(this::removeStack);
    }

    private List<JsonNode> list(String collection, String filter, String value) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/" + collection + "?filters=" + URLEncoder.encode("{\"" + filter + "\":[\"" + value + "\"]}",
                StandardCharsets.UTF_8)).forEach(out::add);
        return out;
    }

    private boolean delete(String path) {
        try {
            api.delete(path);
            return true;
        } catch (EngineException e) {
            return e.isGone();
        }
    }

    private static void require(boolean ok, String name) {
        if (!ok) {
            throw new IllegalArgumentException("the parity suite removes only its own objects, not " + name);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
