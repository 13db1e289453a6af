package io.fijigen.engine.server;

import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host work outside the device queue, bounded: {@code threads} tasks run at once, {@code waiting}
 * more wait, and a task beyond those is refused at once ({@link RejectedExecutionException}), so
 * what concurrent callers can make the server hold is a few tasks' worth, not one per call. Its
 * threads are daemons and end when idle: the pool needs no closing.
 */
final class BoundedPool {
    private final ThreadPoolExecutor executor;

    /** @param name what the pool runs, in messages ("Canny") */
    BoundedPool(String name, int threads, int waiting) {
        AtomicInteger count = new AtomicInteger();
        String full = threads + " " + name + " calls are running and " + waiting + " waiting: retry later";
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(waiting),
                runnable -> {
                    Thread thread = new Thread(runnable, "fijigen-" + name.toLowerCase(Locale.ROOT) + "-"
                            + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, (task, pool) -> {
                    throw new RejectedExecutionException(full);
                });
        // Idle threads go: a burst of calls leaves no threads (nor their stacks) behind.
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * @throws RejectedExecutionException when the pool's threads are busy and its wait list is full;
     *     its message says so, for the caller
     */
    void execute(Runnable task) {
        executor.execute(task);
    }
}
