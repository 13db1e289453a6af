package io.fijigen.engine.server;

/** A model that is not there to load: the server answers {@code NOT_FOUND}. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
