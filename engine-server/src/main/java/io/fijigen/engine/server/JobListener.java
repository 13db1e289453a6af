package io.fijigen.engine.server;

/**
 * What a job's submitter hears, in order: zero or more {@link #queued} (position 1 = next to run),
 * {@link #started}, then exactly one of {@link #succeeded}, {@link #failed}, {@link #cancelled}.
 * Called from the queue's threads; implementations must not block.
 */
public interface JobListener<T> {
    default void queued(int position) {}

    default void started() {}

    void succeeded(T result);

    void failed(Throwable error);

    void cancelled();
}
