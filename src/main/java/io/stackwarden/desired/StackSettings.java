package io.stackwarden.desired;

import io.stackwarden.compose.BindPolicy;
import io.stackwarden.desired.ResolveImage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * How one stack is deployed, from {@code stackwarden.yaml} (defaults, then the stack's own entry).
 *
 * @param files        compose files merged in order, relative to the stack folder; empty: the first default name found
 * @param variables    interpolation variables from {@code stackwarden.yaml} (global ones overridden by the stack's)
 * @param resolveImage when to pin images to registry digests
 * @param prune        remove objects that left the files
 * @param adopt        take over objects of the stack that Stackwarden did not create (e.g. by {@code docker stack deploy})
 * @param selfHeal     undo out-of-band changes as soon as they are seen
 * @param suspend      leave the stack alone entirely (e.g. while it is scaled to 0 by hand)
 * @param ignore       service fields never corrected, e.g. {@code replicas} for services scaled by hand or an autoscaler
 * @param bindPolicy   which bind-mount sources the stack may use ({@code bindSources}; any by default)
 * @param watchImages  how often the tags of the stack's images are looked up again, to roll out a tag that moved
 *                     ({@code watchImages}); empty: never (the default)
 * @param rebalance    which services are spread again over their nodes when a node returns ({@code rebalance}; none by default)
 */
public record StackSettings(List<String> files, Map<String, String> variables, ResolveImage resolveImage,
                            boolean prune, boolean adopt, boolean selfHeal, boolean suspend, List<String> ignore,
                            BindPolicy bindPolicy, Optional<Duration> watchImages, RebalanceSetting rebalance) {

    public static StackSettings defaults() {
        return new StackSettings(List.of(), Map.of(), ResolveImage.ALWAYS, true, false, true, false, List.of(),
                BindPolicy.ANY, Optional.empty(), RebalanceSetting.OFF);
    }
}
