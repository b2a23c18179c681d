package io.stackwarden.imageupdate;

import io.stackwarden.compose.engine.ImageReference;
import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.loop.ImageUpdates;
import io.stackwarden.reconcile.ImageLookup;
import io.stackwarden.reconcile.ImageResolver;
import io.stackwarden.support.RateLimit;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.SwarmEngine;
import io.stackwarden.swarm.SwarmObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches the tags of the images of stacks that opted in ({@code watchImages}): every interval of a stack, the
 * references its live services are pinned from are looked up again, at most once per reference per interval
 * however many services or stacks use it, and at most {@code lookups-per-minute} per registry. A tag whose digest
 * is not the one its services are pinned to puts the stack on the queue; that pass writes only those services
 * ({@link #newer}). A registry's push notification ({@link #pushed}) looks the pushed tags up at once.
 * <p>
 * Everything runs on the watch's own scheduler thread, one check at a time, so a slow registry delays only the
 * watch, never a reconcile; the maps read by passes are concurrent.
 */
public final class TagWatch implements ImageUpdates {

    private static final Logger LOG = Logger.getLogger(TagWatch.class.getName());

    private final SwarmEngine engine;
    private final ImageResolver resolver;
    private final Scheduler scheduler;
    private final RateLimit rate;
    private final Consumer<String> enqueue;
    /** Watched stacks and their intervals. */
    private final Map<String, Duration> watched = new ConcurrentHashMap<>();
    /** The newest digest found for each looked-up reference (engine form). */
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    /** When each reference was last looked up; watch thread only. */
    private final Map<String, Instant> lookedUp = new HashMap<>();

    /** @param enqueue puts a stack on the reconcile queue (an image-update pass) */
    public TagWatch(SwarmEngine engine, ImageResolver resolver, Scheduler scheduler, int lookupsPerMinute,
                    Consumer<String> enqueue) {
        this.engine = engine;
        this.resolver = resolver;
        this.scheduler = scheduler;
        this.rate = new RateLimit(lookupsPerMinute);
        this.enqueue = enqueue;
    }

    @Override
    public void watch(String stack, Optional<Duration> interval) {
        if (interval.isEmpty()) {
            watched.remove(stack);
            return;
        }
        if (watched.put(stack, interval.get()) == null) {
            LOG.info(() -> "stack " + stack + ": watching its image tags every " + interval.get());
            scheduler.schedule(() -> tick(stack), interval.get());
        }
    }

    @Override
    public Map<String, String> newer(String stack) {
        return watched.containsKey(stack) ? Map.copyOf(latest) : Map.of();
    }

    /**
     * A registry says these references (engine form) were pushed: the watched stacks that use them are checked
     * at once, whatever their interval.
     *
     * @return the number of watched stacks, all of which are checked
     */
    public int pushed(Collection<String> references) {
        // Each pushed reference is looked up once, by the first stack that uses it; the others take its answer.
        Set<String> pushed = new HashSet<>(references);
        scheduler.schedule(() -> {
            for (String stack : Set.copyOf(watched.keySet())) {
                check(stack, pushed, false);
            }
        }, Duration.ZERO);
        return watched.size();
    }

    /** The periodic check of one stack; ends when the stack stops watching. */
    private void tick(String stack) {
        Duration interval = watched.get(stack);
        if (interval == null) {
            return;
        }
        Duration again = interval;
        try {
            again = check(stack, new HashSet<>(), true).map(wait -> wait.compareTo(interval) < 0 ? wait : interval).orElse(interval);
        } catch (RuntimeException e) {
            LOG.warning(() -> "stack " + stack + ": image tags not checked: " + e.getMessage());
        } finally {
            scheduler.schedule(() -> tick(stack), again);
        }
    }

    /**
     * Looks up the references the stack's services are pinned from (those in {@code now} whatever their last
     * lookup, taken out of it once looked up; on a periodic check also those not looked up for an interval) and
     * queues the stack when one moved.
     *
     * @return how long until a lookup the registry's rate did not allow may be made, if one was put off
     */
    private Optional<Duration> check(String stack, Set<String> now, boolean periodic) {
        Duration interval = watched.get(stack);
        if (interval == null) {
            return Optional.empty();
        }
        Map<String, String> pinned;
        try {
            pinned = pinnedReferences(stack);
        } catch (EngineException e) {
            LOG.fine(() -> "stack " + stack + ": services not read: " + e.getMessage());
            return Optional.empty();
        }
        Instant start = scheduler.clock().instant();
        Optional<Duration> putOff = Optional.empty();
        boolean moved = false;
        for (Map.Entry<String, String> entry : pinned.entrySet()) {
            String reference = entry.getKey();
            Instant last = lookedUp.get(reference);
            boolean due = now.contains(reference)
                    || periodic && (last == null || !start.isBefore(last.plus(interval)));
            if (due) {
                Duration wait = rate.take(ImageReference.registry(reference).orElse(""), start);
                if (!wait.isZero()) {
                    putOff = Optional.of(putOff.filter(w -> w.compareTo(wait) < 0).orElse(wait));
                } else {
                    lookedUp.put(reference, start);
                    now.remove(reference);
                    if (resolver.refresh(reference) instanceof ImageLookup.Found found) {
                        latest.put(reference, found.distribution().digest());
                    }
                }
            }
            String newest = latest.get(reference);
            if (newest != null && !newest.equals(entry.getValue())) {
                LOG.info(() -> "stack " + stack + ": " + reference + " moved from " + entry.getValue() + " to " + newest);
                moved = true;
            }
        }
        if (moved) {
            enqueue.accept(stack);
        }
        return putOff;
    }

    /** The stack's pinned services by reference (engine form) and the digest they are pinned to. */
    private Map<String, String> pinnedReferences(String stack) {
        Map<String, String> pinned = new TreeMap<>();
        for (SwarmObject service : engine.list(SwarmObject.Kind.SERVICE, StackLabels.NAMESPACE, stack)) {
            String image = service.spec().at("/TaskTemplate/ContainerSpec/Image").asText("");
            int at = image.indexOf('@');
            if (at > 0) {
                // A digest written in the files is no tag to watch.
                if (!service.labels().getOrDefault(StackLabels.IMAGE, "").contains("@")) {
                    pinned.put(image.substring(0, at), image.substring(at + 1));
                }
            }
        }
        return pinned;
    }
}
