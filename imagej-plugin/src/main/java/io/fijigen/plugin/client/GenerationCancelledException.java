package io.fijigen.plugin.client;

import io.grpc.Status;

/** The job was cancelled: by {@link EngineClient#cancel()}, or on the server. Nothing was produced. */
public final class GenerationCancelledException extends EngineException {
    public GenerationCancelledException(String message, Throwable cause) {
        super(Status.Code.CANCELLED, message, cause);
    }
}
