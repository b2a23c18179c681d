package io.stackwarden.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwarden.remedy.Retries;
import io.stackwarden.support.Scheduler;
import io.stackwarden.swarm.EngineException;
import io.stackwarden.swarm.LabelRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * What must survive a restart and a take-over, kept in the swarm itself (the labels of one config, written with the
 * version last read; no database): per stack its last status (sync, health, revisions applied and attempted, the
 * last result and message), whether it is suspended through the API, and the remedies' retry counts. The leader
 * writes a change within {@code delay} (and a suspend at once); a new leader reads it all back before its first
 * pass; a standby reads it again whenever it changed, so its read-only status is the leader's. An unchanged state
 * is never written again: what is compared leaves out when it was last changed.
 */
public final class SavedState {

    private static final Logger LOG = Logger.getLogger(SavedState.class.getName());
    static final String PREFIX = "io.stackwarden.stack.";
    private static final int MESSAGE_LENGTH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * One stack as saved. {@code sync} is null for a stack that is only suspended, without a status yet.
     *
     * @param at when the entry last changed (left out of comparisons)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Entry(StackStatus.Sync sync, StackStatus.Health health, String applied, String attempted,
                 OperationResult result, String message, String at, boolean suspended,
                 Map<String, Map<String, Retries.Count>> remedies) {

        Entry {
            applied = applied == null ? "" : applied;
            attempted = attempted == null ? "" : attempted;
            message = message == null ? "" : message;
            remedies = remedies == null ? Map.of() : Map.copyOf(remedies);
        }

        boolean sameAs(Entry other) {
            return other != null && equals(new Entry(other.sync, other.health, other.applied, other.attempted, other.result,
                    other.message, at, other.suspended, other.remedies));
        }
    }

    private final LabelRecord record;
    private final StatusStore statuses;
    private final SuspendOverrides overrides;
    /** The remedies' retry counts, by remedy. */
    private final Map<String, Retries> retries;
    private final Scheduler scheduler;
    private final Duration delay;
    private final BooleanSupplier leading;

    /** Guarded by this: the record as last read or written. */
    private Optional<LabelRecord.Snapshot> last = Optional.empty();
    /** Whether this instance writes the record; changes only under this. */
    private volatile boolean writing;
    /** A flush is scheduled; set without the lock, so a pass that ends never waits for a write in progress. */
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    /**
     * @param leading whether this instance still leads at the moment of a write (the lease's deadline)
     * @param delay   how long a change waits, so that a burst of passes is saved in one write
     */
    /** @param retries the remedies' retry counts, by remedy name */
    public SavedState(LabelRecord record, StatusStore statuses, SuspendOverrides overrides, Map<String, Retries> retries,
                      Scheduler scheduler, Duration delay, BooleanSupplier leading) {
        this.record = record;
        this.statuses = statuses;
        this.overrides = overrides;
        this.retries = Map.copyOf(retries);
        this.scheduler = scheduler;
        this.delay = delay;
        this.leading = leading;
        statuses.onUpdate((before, after) -> changed());
    }

    /** Reads the record and makes statuses, suspends and remedy counts what it holds; this instance then writes it. */
    public synchronized void restore() {
        Optional<LabelRecord.Snapshot> read = record.read();
        Map<String, Entry> entries = entries(read);
        apply(entries, true);
        last = read;
        writing = true;
        LOG.info(() -> "saved state " + record.name() + ": " + entries.size() + " stack(s) restored");
    }

    /** A standby: reads the record again when it changed and shows what it holds; it never writes. */
    public synchronized void mirror() {
        writing = false;
        Optional<LabelRecord.Snapshot> read = record.read();
        if (read.map(LabelRecord.Snapshot::version).equals(last.map(LabelRecord.Snapshot::version))) {
            return;
        }
        apply(entries(read), false);
        last = read;
    }

    /** This instance no longer leads: it writes nothing more; the remedies' counts are the next leader's. */
    public synchronized void stopWriting() {
        writing = false;
        retries.values().forEach(Retries::clear);
    }

    /** Something changed: it is saved within the delay. */
    public void changed() {
        if (writing && flushScheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::flush, delay);
        }
    }

    /**
     * Saves now (a suspend or resume through the API must not be lost).
     *
     * @throws EngineException when it could not be written
     */
    public synchronized void saveNow() {
        if (!writing || !leading.getAsBoolean()) {
            throw new EngineException(503, "not saved: this instance does not lead", null);
        }
        write();
    }

    private void flush() {
        flushScheduled.set(false);
        synchronized (this) {
            if (!writing || !leading.getAsBoolean()) {
                return;
            }
            try {
                write();
            } catch (EngineException e) {
                LOG.warning(() -> "saved state " + record.name() + " not written, tried again in " + delay + ": " + e.getMessage());
                changed();
            }
        }
    }

    /** Writes what differs from the record; against a newer version once, after reading it. */
    private void write() {
        Map<String, Entry> saved = entries(last);
        Map<String, Entry> now = current(saved);
        if (now.equals(saved)) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            Optional<LabelRecord.Snapshot> written = record.write(last, labels(now));
            if (written.isPresent()) {
                last = written;
                return;
            }
            if (attempt == 2) {
                throw new EngineException(503, "saved state " + record.name() + ": written by someone else meanwhile", null);
            }
            last = record.read();
        }
    }

    /** The state as it is now; an entry that did not change keeps the time of its last change. */
    private Map<String, Entry> current(Map<String, Entry> saved) {
        Set<String> suspended = overrides.all();
        Set<String> stacks = new TreeSet<>(suspended);
        statuses.all().forEach(status -> stacks.add(status.stack()));
        String at = scheduler.clock().instant().toString();
        Map<String, Entry> entries = new TreeMap<>();
        for (String stack : stacks) {
            Optional<StackStatus> status = statuses.get(stack);
            StackStatus.Operation operation = status.map(StackStatus::lastOperation).orElse(null);
            Entry entry = new Entry(status.map(StackStatus::sync).orElse(null), status.map(StackStatus::health).orElse(null),
                    status.map(StackStatus::revisionApplied).orElse(""), status.map(StackStatus::revisionAttempted).orElse(""),
                    operation == null ? null : operation.result(), shortened(status.map(StackStatus::message).orElse("")),
                    at, suspended.contains(stack), counts(stack));
            entries.put(stack, entry.sameAs(saved.get(stack)) ? saved.get(stack) : entry);
        }
        return entries;
    }

    /** Statuses, suspends and (for a leader) remedy counts as the entries hold them. */
    private void apply(Map<String, Entry> entries, boolean counts) {
        List<StackStatus> restored = new ArrayList<>();
        entries.forEach((stack, entry) -> {
            if (entry.sync() != null) {
                restored.add(status(stack, entry));
            }
            if (counts) {
                retries.forEach((remedy, kept) -> kept.restore(stack, entry.remedies().getOrDefault(remedy, Map.of())));
            }
        });
        statuses.replaceAll(restored);
        Set<String> suspended = new TreeSet<>();
        entries.forEach((stack, entry) -> {
            if (entry.suspended()) {
                suspended.add(stack);
            }
        });
        overrides.replaceAll(suspended);
    }

    /** The stack's retry counts of every remedy that has some. */
    private Map<String, Map<String, Retries.Count>> counts(String stack) {
        Map<String, Map<String, Retries.Count>> counts = new TreeMap<>();
        retries.forEach((remedy, kept) -> {
            Map<String, Retries.Count> of = kept.counts(stack);
            if (!of.isEmpty()) {
                counts.put(remedy, of);
            }
        });
        return counts;
    }

    private static StackStatus status(String stack, Entry entry) {
        Instant at = parse(entry.at());
        StackStatus.Operation operation = entry.result() == null ? null
                : new StackStatus.Operation(Set.of(), at, at, entry.result(), nonNull(entry.message()), List.of());
        return new StackStatus(stack, entry.sync(), entry.health() == null ? StackStatus.Health.UNKNOWN : entry.health(),
                nonNull(entry.applied()), nonNull(entry.attempted()), operation, List.of(), nonNull(entry.message()), List.of());
    }

    private Map<String, Entry> entries(Optional<LabelRecord.Snapshot> snapshot) {
        Map<String, Entry> entries = new TreeMap<>();
        snapshot.ifPresent(s -> s.labels().forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            try {
                entries.put(key.substring(PREFIX.length()), JSON.readValue(value, Entry.class));
            } catch (JsonProcessingException e) {
                LOG.warning(() -> "saved state " + record.name() + ": entry " + key + " is unreadable and ignored: "
                        + e.getOriginalMessage());
            }
        }));
        return entries;
    }

    private static Map<String, String> labels(Map<String, Entry> entries) {
        Map<String, String> labels = new TreeMap<>();
        entries.forEach((stack, entry) -> {
            try {
                labels.put(PREFIX + stack, JSON.writeValueAsString(entry));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a saved entry cannot be written as JSON", e);
            }
        });
        return labels;
    }

    private static String shortened(String message) {
        return message.length() <= MESSAGE_LENGTH ? message : message.substring(0, MESSAGE_LENGTH) + "...";
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static Instant parse(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
