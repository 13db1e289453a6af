package io.fijigen.engine.server;

/**
 * A job's cancel flag: set by a client or the server, read by the running job at its cancellation
 * points ({@link io.fijigen.engine.pipeline.StepListener#cancelled()}).
 */
public final class Cancellation {
    private volatile boolean requested;

    public boolean requested() {
        return requested;
    }

    void request() {
        requested = true;
    }
}
