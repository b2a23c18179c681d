package io.stackwarden.reconcile;

import io.stackwarden.registry.RegistryCredentials;
import io.stackwarden.swarm.SwarmEngine;

import java.time.Clock;
import java.time.Duration;

/** The reconciler as the tests use it: the real planner and image resolver on the given engine. */
public final class Reconcilers {

    private Reconcilers() {
    }

    /** Keeps {@code keepVersions} old versions of each config and secret. */
    public static StackReconciler on(SwarmEngine engine, int keepVersions) {
        return new StackReconciler(engine, new StackPlanner(new ImageResolver(engine, RegistryCredentials.none(), Duration.ofMinutes(5), Clock.systemUTC())),
                keepVersions);
    }

    /** Keeps the default two old versions. */
    public static StackReconciler on(SwarmEngine engine) {
        return on(engine, 2);
    }
}
