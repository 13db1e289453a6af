package io.fijigen.engine.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One device's jobs: one runs at a time, at most {@code maxWaiting} wait in FIFO order behind it.
 * Every job first hears its position (0: it runs next, at once), then again each time it changes; a job can be cancelled while waiting
 * (removed at once) or while running (its {@link Cancellation} is set; the pipeline stops within
 * a step). Draining stops new submissions and lets the running and waiting jobs finish.
 */
public final class JobQueue implements AutoCloseable {
    /** How long {@link #close} waits for a cancelled job to reach its next step. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final int maxWaiting;
    private final ExecutorService worker;
    private final Deque<Job<?>> waiting = new ArrayDeque<>();
    private Job<?> running;
    private boolean draining;

    public JobQueue(String device, int maxWaiting) {
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("max queue " + maxWaiting + " must be ≥ 0");
        }
        this.maxWaiting = maxWaiting;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fijigen-jobs-" + device);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A submitted job's handle. */
    public static final class Job<T> {
        private final String id;
        private final JobBody<T> body;
        private final JobListener<T> listener;
        private final Cancellation cancellation = new Cancellation();
        /** The position last told to the listener; −1 before any. */
        private int position = -1;

        private Job(String id, JobBody<T> body, JobListener<T> listener) {
            this.id = id;
            this.body = body;
            this.listener = listener;
        }

        public String id() {
            return id;
        }
    }

    /**
     * Queues a job, or runs it at once when the device is free.
     *
     * @throws QueueFullException when {@code maxWaiting} jobs already wait
     * @throws IllegalStateException while draining
     */
    public <T> Job<T> submit(String id, JobBody<T> body, JobListener<T> listener) throws QueueFullException {
        Job<T> job = new Job<>(id, body, listener);
        synchronized (this) {
            if (draining) {
                throw new IllegalStateException("the server is shutting down and takes no new jobs");
            }
            // The head of `waiting` may be about to start: it counts as the running job.
            int here = waiting.size() + (running != null ? 1 : 0);
            if (here >= maxWaiting + 1) {
                throw new QueueFullException(maxWaiting);
            }
            waiting.addLast(job);
            tell(job, here);
        }
        worker.execute(this::runNext);
        return job;
    }

    /** Cancels a waiting or running job; false when no such job is here (already finished, say). */
    public boolean cancel(String id) {
        Job<?> removed = null;
        List<Job<?>> moved;
        synchronized (this) {
            if (running != null && running.id.equals(id)) {
                running.cancellation.request();
                return true;
            }
            for (Job<?> job : waiting) {
                if (job.id.equals(id)) {
                    removed = job;
                    break;
                }
            }
            if (removed == null) {
                return false;
            }
            waiting.remove(removed);
            moved = new ArrayList<>(waiting);
        }
        removed.listener.cancelled();
        announcePositions(moved);
        return true;
    }

    public synchronized int waitingCount() {
        return waiting.size();
    }

    public synchronized boolean isDraining() {
        return draining;
    }

    /** Stops taking jobs, then waits up to {@code timeout} for those already here to finish. */
    public boolean drain(Duration timeout) throws InterruptedException {
        synchronized (this) {
            draining = true;
        }
        worker.shutdown();
        return worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Cancels the running job and drops the waiting ones, then waits (briefly: a job stops within
     * a step) for the worker, so what the job uses (its model) may be closed after this returns.
     */
    @Override
    public void close() {
        synchronized (this) {
            draining = true;
            if (running != null) {
                running.cancellation.request();
            }
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the worker thread: one call per submitted job, so each call takes the head, if any. */
    private void runNext() {
        Job<?> job;
        List<Job<?>> moved;
        synchronized (this) {
            job = waiting.pollFirst();
            if (job == null) {
                return;
            }
            running = job;
            moved = new ArrayList<>(waiting);
        }
        announcePositions(moved);
        try {
            run(job);
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    private static <T> void run(Job<T> job) {
        if (job.cancellation.requested()) {
            job.listener.cancelled();
            return;
        }
        job.listener.started();
        T result;
        try {
            result = job.body.run(job.cancellation);
        } catch (CancellationException e) {
            job.listener.cancelled();
            return;
        } catch (Throwable e) {
            job.listener.failed(e);
            return;
        }
        if (job.cancellation.requested()) {
            job.listener.cancelled();
        } else {
            job.listener.succeeded(result);
        }
    }

    private static void announcePositions(List<Job<?>> jobs) {
        for (int i = 0; i < jobs.size(); i++) {
            tell(jobs.get(i), i + 1);
        }
    }

    /** Tells a waiting job its position when it changed (a job starting ahead may leave it as it was). */
    private static void tell(Job<?> job, int position) {
        synchronized (job) {
            if (job.position != position) {
                job.position = position;
                job.listener.queued(position);
            }
        }
    }
}
