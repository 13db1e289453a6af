package io.fijigen.engine.server;

/** A model admin call on an engine that was not started to take them. */
final class ModelAdminOffException extends RuntimeException {
    ModelAdminOffException() {
        super("model admin is off: start the engine with --allow-model-admin");
    }
}
