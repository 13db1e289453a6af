package io.fijigen.engine.server;

/**
 * A job refused, or dropped from the queue, because the server is shutting down: {@code
 * UNAVAILABLE}, which clients retry on another server.
 */
public final class ServerShuttingDownException extends IllegalStateException {
    public ServerShuttingDownException(String message) {
        super(message);
    }
}
