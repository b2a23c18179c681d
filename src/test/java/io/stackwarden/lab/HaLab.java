package io.stackwarden.lab;

import java.util.HashMap;
import java.util.Map;

/**
 * The second lab, of three managers and no worker ({@code scripts/lab/ha-lab.sh}), for the tests that need a quorum
 * (failover, quorum loss): brought up fresh for one test class and purged after, so the default lab keeps its shape.
 * Its names derive from the first lab's variables, which the test run exports.
 */
public final class HaLab {

    private HaLab() {
    }

    /** Brings it up and returns its variables ({@code DOCKER_HOST} of m1, {@code LAB_REGISTRY}, {@code LAB_ROOT}...). */
    public static Map<String, String> up() {
        Map<String, String> env = new HashMap<>();
        Lab.script("lab/ha-lab.sh", Map.of(), "up").lines().filter(line -> line.matches("[A-Z_]+=.*"))
                .forEach(line -> env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return env;
    }

    /** Purges it: its deployments, its stacks and every node's data go (the image cache stays). */
    public static void down() {
        Lab.script("lab/ha-lab.sh", Map.of(), "down");
    }
}
