package io.fijigen.engine.server;

/**
 * What a job's submitter hears, in order: one or more {@link #queued} (position 0 = runs at once,
 * 1 = next after the running job),
 * {@link #started}, then exactly one of {@link #succeeded}, {@link #failed}, {@link #cancelled}; or,
 * instead of starting, {@link #dropped}.
 * Called from the queue's threads; implementations must not block.
 */
public interface JobListener<T> {
    default void queued(int position) {}

    default void started() {}

    void succeeded(T result);

    void failed(Throwable error);

    void cancelled();

    /** Dropped while waiting, never run: a newer interactive job of its client replaced it. */
    default void dropped() {
        cancelled();
    }
}
