package io.stackwarden.loop;

import io.stackwarden.reconcile.Action;
import io.stackwarden.swarm.SwarmObject;

import java.util.ArrayList;
import java.util.List;

/** The status's words for service writes that replaced a pinned digest of the same reference: which by which. */
final class ImageRollouts {

    private static final String IMAGE = "/TaskTemplate/ContainerSpec/Image";

    private ImageRollouts() {
    }

    /** {@code image app:1: sha256:aaaa… → sha256:bbbb… (service s_app)}, one per such write. */
    static List<String> notes(List<Action> writes) {
        List<String> notes = new ArrayList<>();
        for (Action write : writes) {
            if (write.kind() != SwarmObject.Kind.SERVICE || write.live().isEmpty() || write.spec().isEmpty()
                    || !write.changes().contains(IMAGE)) {
                continue;
            }
            String before = write.live().get().spec().at(IMAGE).asText();
            String after = write.spec().get().at(IMAGE).asText();
            int at = after.indexOf('@');
            if (at > 0 && before.startsWith(after.substring(0, at + 1)) && !before.equals(after)) {
                notes.add("image " + after.substring(0, at) + ": " + before.substring(at + 1) + " → " + after.substring(at + 1)
                        + " (service " + write.name() + ")");
            }
        }
        return notes;
    }
}
