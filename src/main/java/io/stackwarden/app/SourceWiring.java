package io.stackwarden.app;

import io.stackwarden.desired.DesiredStateException;
import io.stackwarden.desired.SourceRefresh;
import io.stackwarden.loop.StackController;
import io.stackwarden.loop.Trigger;
import io.stackwarden.loop.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The desired-state source as webhooks see it. Here a plain folder: it follows no branch, and a
 * refresh gives every stack a pass (the folder is read on every pass anyway).
 */
public class SourceWiring {

    private static final Logger LOG = Logger.getLogger(SourceWiring.class);

    @Produces
    @ApplicationScoped
    SourceRefresh sourceRefresh(StackController controller, WorkQueue queue) {
        // Listing the stacks asks the engine, which may be slow: off the request thread, and a burst
        // of requests while one waits is served by that one.
        Executor executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "source-refresh");
            thread.setDaemon(true);
            return thread;
        });
        AtomicBoolean pending = new AtomicBoolean();
        return new SourceRefresh() {
            @Override
            public Optional<String> branch() {
                return Optional.empty();
            }

            @Override
            public void requestRefresh(String reason) {
                if (pending.compareAndSet(false, true)) {
                    executor.execute(() -> {
                        pending.set(false);
                        enqueueAll(controller, queue, reason);
                    });
                }
            }
        };
    }

    private static void enqueueAll(StackController controller, WorkQueue queue, String reason) {
        Set<String> stacks;
        try {
            stacks = controller.knownStacks();
        } catch (DesiredStateException e) {
            LOG.warnf("%s: cannot list stacks: %s", reason, e.getMessage());
            return;
        }
        LOG.infof("%s: a pass for each of %d stack(s)", reason, stacks.size());
        for (String stack : stacks) {
            if (queue.enqueue(stack, Trigger.SOURCE_CHANGE).isEmpty()) {
                LOG.warnf("queue full: source change for stack %s dropped (the next resync covers it)", stack);
            }
        }
    }
}
