package io.stackwarden.reconcile;

import io.stackwarden.compose.engine.StackLabels;
import io.stackwarden.desired.ResolveImage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.ImageDistribution;
import io.stackwarden.swarm.ObjectKey;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares what a stack should be with what the swarm has and lists the writes that close the
 * gap: nothing when they already agree. Level-based and free of I/O except image resolution,
 * which happens only for a service that is created or must be updated anyway.
 */
public final class StackPlanner {

    private final ImageResolver images;

    public StackPlanner(ImageResolver images) {
        this.images = images;
    }

    /**
     * @param ignore       service fields whose live value is kept, see {@link IgnoredFields}
     * @param newerDigests digests a watched tag moved to, by reference (engine form); empty unless the stack opted in
     * @param apiVersion   the Engine API version of the engine, for the fields it cannot store ({@link EngineFields});
     *                     empty when unknown
     */
    public record Options(ResolveImage resolveImage, boolean prune, Set<String> ignore, Map<String, String> newerDigests,
                          String apiVersion) {
        public Options(ResolveImage resolveImage, boolean prune, Set<String> ignore) {
            this(resolveImage, prune, ignore, Map.of(), "");
        }

        public Options(ResolveImage resolveImage, boolean prune) {
            this(resolveImage, prune, Set.of());
        }
    }

    /**
     * The writes, in the order they must happen: creates and updates, then removals, decided here alone (only
     * objects Stackwarden owns, and never an old version of a config or secret still in the files). Collecting
     * those old versions is housekeeping, not a difference from the files ({@link OldVersions}, done by
     * {@link StackReconciler}).
     */
    public Planned plan(TargetState target, List<SwarmObject> live, Options options) {
        Map<ObjectKey, SwarmObject> liveByKey = new HashMap<>();
        live.forEach(object -> liveByKey.put(object.key(), object));
        List<Action> actions = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (SwarmObject.Kind kind : List.of(SwarmObject.Kind.NETWORK, SwarmObject.Kind.SECRET,
                SwarmObject.Kind.CONFIG, SwarmObject.Kind.SERVICE)) {
            for (DesiredObject desired : target.objects()) {
                if (desired.kind() == kind) {
                    planOne(desired, Optional.ofNullable(liveByKey.get(desired.key())), options, refused).ifPresent(actions::add);
                }
            }
        }
        if (options.prune()) {
            Set<ObjectKey> wanted = target.objects().stream().map(DesiredObject::key).collect(Collectors.toSet());
            for (SwarmObject.Kind kind : List.of(SwarmObject.Kind.SERVICE, SwarmObject.Kind.SECRET,
                    SwarmObject.Kind.CONFIG, SwarmObject.Kind.NETWORK)) {
                live.stream()
                        .filter(object -> object.kind() == kind && Ownership.owned(object.labels()))
                        .filter(object -> !wanted.contains(object.key()))
                        // Old versions of a config or secret still in the files are collected, not pruned.
                        .filter(object -> !OldVersions.isOldVersion(object, target))
                        .sorted(java.util.Comparator.comparing(SwarmObject::name))
                        .forEach(object -> actions.add(Action.remove(object)));
            }
        }
        return new Planned(actions, refused);
    }

    /**
     * The writes, and the services left unwritten because their registry refused the image lookup (one message
     * each, naming service, image and registry): the nodes could not pull the image either.
     */
    public record Planned(List<Action> steps, List<String> refused) {
        public Planned {
            steps = List.copyOf(steps);
            refused = List.copyOf(refused);
        }
    }

    private Optional<Action> planOne(DesiredObject desired, Optional<SwarmObject> live, Options options, List<String> refused) {
        return switch (desired.kind()) {
            // Networks cannot be updated; like docker stack deploy, an existing one is used as it is.
            case NETWORK -> live.isPresent() ? Optional.empty() : Optional.of(Action.create(desired));
            case SECRET, CONFIG -> planData(desired, live);
            case SERVICE -> planService(desired, live, options, refused);
        };
    }

    private static Optional<Action> planData(DesiredObject desired, Optional<SwarmObject> live) {
        if (live.isEmpty()) {
            return Optional.of(Action.create(desired));
        }
        ObjectNode want = SpecCanonicalizer.data(desired.spec());
        ObjectNode have = SpecCanonicalizer.data(live.get().spec());
        if (desired.kind() == SwarmObject.Kind.SECRET) {
            want.remove("Data"); // the engine never returns secret data, so it cannot be compared
        }
        List<String> changes = SpecDiff.paths(have, want);
        return changes.isEmpty() ? Optional.empty() : Optional.of(Action.update(live.get(), desired.spec(), changes));
    }

    /** @param refused gets a message when the registry refused the image lookup; the service is then not written */
    private Optional<Action> planService(DesiredObject desired, Optional<SwarmObject> live, Options options,
                                         List<String> refused) {
        // The image as the CLI's client sends it (tagged, familiar form); the label keeps the file's text.
        String image = desired.spec().at("/TaskTemplate/ContainerSpec/Image").asText();
        if (live.isEmpty()) {
            ObjectNode spec = desired.spec().deepCopy();
            if (options.resolveImage() != ResolveImage.NEVER && !pin(spec, image, true, desired.name(), refused)) {
                return Optional.empty();
            }
            return Optional.of(Action.create(new DesiredObject(desired.kind(), desired.name(), spec)));
        }
        SwarmObject current = live.get();
        ObjectNode spec = desired.spec().deepCopy();
        // The CLI keeps the force-update counter of the live service; so do we.
        JsonNode force = current.spec().at("/TaskTemplate/ForceUpdate");
        if (!force.isMissingNode()) {
            ((ObjectNode) spec.with("TaskTemplate")).set("ForceUpdate", force);
        }
        // Whether the image changed is decided on the file's text (the stack label, as the CLI does),
        // never on a fresh lookup.
        String written = desired.spec().path("Labels").path(StackLabels.IMAGE).asText(image);
        boolean imageChanged = !written.equals(current.labels().get(StackLabels.IMAGE));
        // A pinned live image of the same reference is kept; any other live image (`docker service update
        // --image` leaves the stack label alone) is drift and gets the desired reference back.
        String liveImage = current.spec().at("/TaskTemplate/ContainerSpec/Image").asText();
        boolean liveImageIsOurs = liveImage.equals(image) || liveImage.startsWith(image + "@");
        // A watched tag that moved in the registry: the one case an unchanged reference gets a new digest.
        String moved = options.newerDigests().get(image);
        boolean rollOut = moved != null && !imageChanged && liveImage.startsWith(image + "@") && !liveImage.equals(image + "@" + moved)
                && !rolledBackFrom(current, image + "@" + moved);
        if (!imageChanged && liveImageIsOurs) {
            keepLiveImage(spec, current.spec());
        }
        if (rollOut) {
            containerSpec(spec).put("Image", image + "@" + moved);
        }
        IgnoredFields.keepLive(spec, current.spec(), options.ignore());
        List<String> changes = SpecDiff.paths(SpecCanonicalizer.service(current.spec()),
                SpecCanonicalizer.service(EngineFields.storable(spec, options.apiVersion())));
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        boolean resolve = options.resolveImage() == ResolveImage.ALWAYS
                || (options.resolveImage() == ResolveImage.CHANGED && imageChanged);
        if (rollOut) {
            return Optional.of(Action.update(current, spec, changes));
        }
        if (resolve) {
            if (!pin(spec, image, imageChanged, desired.name(), refused)) {
                return Optional.empty();
            }
        } else if (imageChanged) {
            containerSpec(spec).put("Image", image);
        }
        return Optional.of(Action.update(current, spec, changes));
    }

    /**
     * Pins the image; platforms are filled in only where the spec has none (or the image changed).
     *
     * @return false when the registry refused the lookup (said in {@code refused}): the service is not written
     */
    private boolean pin(ObjectNode spec, String reference, boolean replacePlatforms, String service, List<String> refused) {
        ImageLookup lookup = images.resolve(reference);
        if (lookup instanceof ImageLookup.Refused refusal) {
            refused.add("service " + service + " not written: image " + reference + ": " + refusal.why());
            return false;
        }
        if (!(lookup instanceof ImageLookup.Found found)) {
            containerSpec(spec).put("Image", reference);
            return true;
        }
        ImageDistribution distribution = found.distribution();
        containerSpec(spec).put("Image", ImageResolver.pinned(reference, distribution.digest()));
        ObjectNode placement = ((ObjectNode) spec.with("TaskTemplate")).with("Placement");
        if ((replacePlatforms || !placement.has("Platforms")) && !distribution.platforms().isEmpty()) {
            placement.set("Platforms", distribution.platforms());
        }
        return true;
    }

    /**
     * Swarm rolled the service back from exactly this image (its update failed and {@code failure_action: rollback}
     * undid it): the same digest is not rolled out again, or every pass would undo Swarm's rollback; the status
     * shows the rollback, and the next digest of the tag is tried.
     */
    private static boolean rolledBackFrom(SwarmObject live, String image) {
        return live.raw().path("UpdateStatus").path("State").asText("").startsWith("rollback")
                && image.equals(live.raw().at("/PreviousSpec/TaskTemplate/ContainerSpec/Image").asText());
    }

    private static void keepLiveImage(ObjectNode spec, ObjectNode live) {
        containerSpec(spec).set("Image", live.at("/TaskTemplate/ContainerSpec/Image"));
        JsonNode platforms = live.at("/TaskTemplate/Placement/Platforms");
        if (!platforms.isMissingNode() && spec.at("/TaskTemplate/Placement/Platforms").isMissingNode()) {
            ((ObjectNode) spec.with("TaskTemplate")).with("Placement").set("Platforms", platforms);
        }
    }

    private static ObjectNode containerSpec(ObjectNode spec) {
        return ((ObjectNode) spec.with("TaskTemplate")).with("ContainerSpec");
    }

}
