package io.fijigen.engine.weights.ldm;

/**
 * A single-file checkpoint whose keys or shapes do not fit the layout it was taken for, or whose
 * configuration cannot be inferred; the message names the key, the value and what to do.
 */
public final class LdmFormatException extends RuntimeException {
    public LdmFormatException(String message) {
        super(message);
    }
}
