package io.fijigen.engine.server;

/**
 * The server-wide bound on results waiting for slow readers: a result sent to a client whose
 * transport is not draining stays in the server's memory until it is read. Each such result
 * holds its size here until the transport has taken it or the call has ended; one that would
 * pass the bound is refused (24 stalled clients of 50 MB results held 1.9 GB before).
 */
final class ResultMemory {
    /** The default bound: room for a few 2048² results with float pixels. */
    static final long DEFAULT_BYTES = 256L << 20;

    private final long limit;
    private long held;

    ResultMemory(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    synchronized boolean reserve(long bytes) {
        if (held + bytes > limit) {
            return false;
        }
        held += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        held -= bytes;
    }

    synchronized long held() {
        return held;
    }
}
