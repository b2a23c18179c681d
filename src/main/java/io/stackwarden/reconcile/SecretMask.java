package io.stackwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwarden.swarm.SwarmObject;

import java.util.Base64;

/**
 * Secret data never leaves the process in output: it is shown as its size only (not even a hash,
 * which would let a weak password be guessed offline). The one exception is the swarm name itself:
 * a content name ({@link ContentNames}) carries a salted hash cut to 10 hex digits, as it must for a
 * changed secret to be a new object.
 */
public final class SecretMask {

    private SecretMask() {
    }

    /** The object's spec, with the data of a secret replaced by a mask. */
    public static ObjectNode masked(DesiredObject object) {
        ObjectNode spec = object.spec().deepCopy();
        if (object.kind() == SwarmObject.Kind.SECRET && spec.hasNonNull("Data")) {
            spec.put("Data", "<secret: " + Base64.getDecoder().decode(spec.get("Data").asText()).length + " bytes>");
        }
        return spec;
    }
}
