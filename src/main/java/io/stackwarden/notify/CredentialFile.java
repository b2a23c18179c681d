package io.stackwarden.notify;

import io.stackwarden.compose.FileRefused;
import io.stackwarden.compose.InputFile;

import java.nio.file.Path;

/**
 * Tokens and secrets of sinks, read from their files at each delivery, so a rotated Docker secret counts
 * without a restart. An unreadable or empty file fails that delivery, retryably: it may be put back.
 */
final class CredentialFile {

    private CredentialFile() {
    }

    /** @param property the property that names the file: errors name it, never the content */
    static String read(Path file, String property) throws DeliveryFailure {
        String secret;
        try {
            secret = InputFile.credential(file, property);
        } catch (FileRefused e) {
            throw new DeliveryFailure(e.getMessage(), true);
        }
        if (secret.isEmpty()) {
            throw new DeliveryFailure(property + " is empty", true);
        }
        return secret;
    }
}
