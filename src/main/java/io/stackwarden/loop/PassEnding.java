package io.stackwarden.loop;

import java.util.List;

/**
 * How one pass ends: where the stack stands (both status axes, the revisions, the writes, the services) and
 * what the queue does next. Built from a named start and withers, so no two of its strings can be swapped.
 *
 * @param applied   the revision the swarm now equals; empty keeps the previous one
 * @param attempted the revision this pass tried; empty keeps the previous one
 * @param imageUpdates digests of watched tags this pass rolled out; empty keeps the previous ones
 */
record PassEnding(StackStatus.Sync sync, StackStatus.Health health, String applied, String attempted, String message,
                  List<String> writes, List<StackStatus.ServiceStatus> services, PassResult.Next next,
                  List<String> imageUpdates) {

    static PassEnding of(StackStatus.Sync sync, StackStatus.Health health, String message, PassResult.Next next) {
        return new PassEnding(sync, health, "", "", message, List.of(), List.of(), next, List.of());
    }

    /** Where the stack stands is not known: the files or the engine could not be read. */
    static PassEnding unknown(String message, PassResult.Next next) {
        return of(StackStatus.Sync.UNKNOWN, StackStatus.Health.UNKNOWN, message, next);
    }

    PassEnding attempted(String revision) {
        return new PassEnding(sync, health, applied, revision, message, writes, services, next, imageUpdates);
    }

    /** The swarm now equals {@code revision}, which is also the one attempted. */
    PassEnding applied(String revision) {
        return new PassEnding(sync, health, revision, revision, message, writes, services, next, imageUpdates);
    }

    PassEnding writes(List<String> writes) {
        return new PassEnding(sync, health, applied, attempted, message, List.copyOf(writes), services, next, imageUpdates);
    }

    PassEnding imageUpdates(List<String> updates) {
        return new PassEnding(sync, health, applied, attempted, message, writes, services, next, List.copyOf(updates));
    }

    PassEnding services(List<StackStatus.ServiceStatus> services) {
        return new PassEnding(sync, health, applied, attempted, message, writes, List.copyOf(services), next, imageUpdates);
    }
}
