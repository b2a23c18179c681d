package io.stackwarden.compose.convert;

/**
 * The compose model holds something {@code docker stack deploy} refuses while converting it
 * (undefined network, invalid mount, unparsable duration...). The message names the object and key.
 */
public class ConvertException extends RuntimeException {

    public ConvertException(String message) {
        super(message);
    }

    public ConvertException(String message, Throwable cause) {
        super(message, cause);
    }
}
