package io.stackwarden.swarm;

/** What identifies a swarm object within the stacks Stackwarden manages: its kind and its name. */
public record ObjectKey(SwarmObject.Kind kind, String name) {

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
