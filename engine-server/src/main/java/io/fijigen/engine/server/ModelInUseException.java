package io.fijigen.engine.server;

/** A model cannot be unregistered while a job holds it: the job would lose its weights midway. */
final class ModelInUseException extends IllegalStateException {
    ModelInUseException(String id) {
        super("model '" + id + "' is in use by a job now: remove it when the job has ended");
    }
}
