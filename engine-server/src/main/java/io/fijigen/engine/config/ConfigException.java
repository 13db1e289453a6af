package io.fijigen.engine.config;

/** A config file that cannot be used as it is: the message names the file, the key and the value. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
