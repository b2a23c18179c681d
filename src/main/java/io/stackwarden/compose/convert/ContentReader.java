package io.stackwarden.compose.convert;

import java.io.IOException;

/**
 * Reads the file behind a {@code file:} secret or config. Kept outside the converter so that path
 * confinement (done by the loader) and I/O stay where they belong, and tests can fake it.
 */
@FunctionalInterface
public interface ContentReader {

    byte[] read(String absolutePath) throws IOException;
}
