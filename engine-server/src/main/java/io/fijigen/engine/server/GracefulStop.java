package io.fijigen.engine.server;

import java.time.Duration;

/**
 * What SIGTERM does, within one grace period: health turns NOT_SERVING, waiting jobs end at once
 * with UNAVAILABLE, the running job may finish (and its client gets its result) until the grace
 * is over, then it is cancelled and stops at its next cancellation point; calls still open then
 * (health watches, results still being written) get what is left of the grace, at least {@link
 * #FLUSH}, before they are cancelled.
 */
public final class GracefulStop {
    /** Time for a result written at the deadline to reach its client. */
    static final Duration FLUSH = Duration.ofSeconds(1);

    private GracefulStop() {}

    /** @return whether every running job finished within {@code grace} */
    public static boolean stop(EngineServer server, DeviceQueues queues, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        server.drain();
        boolean finished = false;
        try {
            finished = queues.drain(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        server.shutdownWithin(left.compareTo(FLUSH) > 0 ? left : FLUSH);
        return finished;
    }
}
