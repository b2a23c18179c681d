package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The versions a config or secret leaves behind when its content changes ({@link ContentNames}): owned objects
 * of the stack that carry the key of an object still in the files, under a name that is no longer wanted.
 * The newest few are kept for {@code docker service rollback}; older ones go once no service refers to them.
 * Objects whose key left the files are not old versions: the prune rules apply to them.
 */
final class OldVersions {

    private OldVersions() {
    }

    /** The key label of an owned config or secret, when it has one. */
    static Optional<String> key(SwarmObject object) {
        boolean data = object.kind() == SwarmObject.Kind.SECRET || object.kind() == SwarmObject.Kind.CONFIG;
        return data && Ownership.owned(object.labels())
                ? Optional.ofNullable(object.labels().get(Ownership.OBJECT_KEY)) : Optional.empty();
    }

    /** Whether {@code object} is an old version of a key {@code target} still has (and not the wanted one). */
    static boolean isOldVersion(SwarmObject object, TargetState target) {
        Optional<String> key = key(object);
        return key.isPresent() && target.objects().stream().anyMatch(o -> o.kind() == object.kind()
                && key.get().equals(o.spec().path("Labels").path(Ownership.OBJECT_KEY).asText(null))
                && !o.name().equals(object.name()));
    }

    /**
     * Old versions beyond the {@code keep} newest of their key. Newest means the highest swarm version index:
     * an old version is never written again, so its index tells when it was created (or last relabelled).
     */
    static List<SwarmObject> beyond(TargetState target, List<SwarmObject> live, int keep) {
        Map<ObjectKey, List<SwarmObject>> byKey = new TreeMap<>(Comparator.comparing(ObjectKey::toString));
        for (SwarmObject object : live) {
            if (isOldVersion(object, target)) {
                byKey.computeIfAbsent(new ObjectKey(object.kind(), key(object).orElseThrow()), k -> new ArrayList<>()).add(object);
            }
        }
        List<SwarmObject> beyond = new ArrayList<>();
        for (List<SwarmObject> versions : byKey.values()) {
            versions.sort(Comparator.comparingLong(SwarmObject::version).reversed().thenComparing(SwarmObject::name));
            beyond.addAll(versions.subList(Math.min(keep, versions.size()), versions.size()));
        }
        return beyond;
    }

    /**
     * IDs of the configs and secrets the services refer to, in their spec and in their previous spec (which
     * {@code docker service rollback} and a failed update's automatic rollback go back to). The engine itself
     * refuses to remove an object only while a current spec refers to it.
     */
    static Set<String> referenced(List<SwarmObject> services) {
        Set<String> ids = new HashSet<>();
        for (SwarmObject service : services) {
            for (JsonNode spec : List.of(service.raw().path("Spec"), service.raw().path("PreviousSpec"))) {
                JsonNode container = spec.at("/TaskTemplate/ContainerSpec");
                container.path("Secrets").forEach(ref -> ids.add(ref.path("SecretID").asText()));
                container.path("Configs").forEach(ref -> ids.add(ref.path("ConfigID").asText()));
                ids.add(container.at("/Privileges/CredentialSpec/Config").asText());
            }
        }
        ids.remove("");
        return ids;
    }
}
