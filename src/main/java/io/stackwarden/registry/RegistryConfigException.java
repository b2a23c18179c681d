package io.stackwarden.registry;

/** A registry credentials file that cannot be used; the message names no credential. */
public final class RegistryConfigException extends Exception {

    public RegistryConfigException(String message) {
        super(message);
    }
}
