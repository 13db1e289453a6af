package io.fijigen.engine.server;

/** The queue holds its maximum of waiting jobs; the client may retry later (RESOURCE_EXHAUSTED). */
public final class QueueFullException extends Exception {
    public QueueFullException(int limit) {
        super("the job queue is full (" + limit + " waiting); try again later");
    }
}
