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
 * (removed at once) or while running (its {@link Cancellation} is set; the pipeline stops at its
 * next cancellation point, within a tile). Draining refuses new jobs, drops the waiting ones at
 * once and gives the running one until a deadline, then cancels it.
 */
public final class JobQueue implements AutoCloseable {
    /**
     * The most a cancelled job is waited for. It normally stops at its next cancellation point,
     * within one tile or network call (0.4-0.6 s for an x4 upscale in tiles of 8 on a busy CPU,
     * CancellationInsideAStepTest); only a model still loading cannot be stopped.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

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
     * @throws ServerShuttingDownException while draining
     */
    public <T> Job<T> submit(String id, JobBody<T> body, JobListener<T> listener) throws QueueFullException {
        Job<T> job = new Job<>(id, body, listener);
        synchronized (this) {
            if (draining) {
                throw new ServerShuttingDownException("the server is shutting down and takes no new jobs");
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

    /**
     * Shutdown with a grace period: refuses new jobs, fails the waiting ones at once with {@link
     * ServerShuttingDownException}, lets the running one finish (and deliver its result) until
     * {@code timeout}, then cancels it and waits {@link #STOP_WAIT} for it to stop.
     *
     * @return whether the running job, if any, finished within {@code timeout}
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        refuseNew();
        return finishBy(System.nanoTime() + timeout.toNanos());
    }

    /** Refuses new jobs and fails the waiting ones. */
    void refuseNew() {
        List<Job<?>> dropped;
        synchronized (this) {
            draining = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
        }
        worker.shutdown();
        for (Job<?> job : dropped) {
            job.listener.failed(new ServerShuttingDownException("the server is shutting down: the job was dropped"
                    + " from the queue before it started"));
        }
    }

    /** After {@link #refuseNew}: waits for the running job until {@code deadline} (a nanoTime), then cancels it. */
    boolean finishBy(long deadline) throws InterruptedException {
        if (worker.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return true;
        }
        synchronized (this) {
            if (running != null) {
                running.cancellation.request();
            }
        }
        worker.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    /**
     * Cancels the running job and drops the waiting ones, then waits (briefly: a job stops within
     * a tile) for the worker, so what the job uses (its model) may be closed after this returns.
     */
    @Override
    public void close() {
        refuseNew();
        try {
            finishBy(System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
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
        Runnable outcome;
        try {
            outcome = run(job);
        } finally {
            synchronized (this) {
                running = null;
            }
        }
        // Told once the device is free: a client that sends its next job on hearing the result (a
        // Batch call does) finds it free, not still held by the job it heard end (position 1, and
        // a refusal on a queue with no room to wait).
        outcome.run();
    }

    /** Runs the job; what its listener is told of the outcome. */
    private static <T> Runnable run(Job<T> job) {
        if (job.cancellation.requested()) {
            return job.listener::cancelled;
        }
        job.listener.started();
        T result;
        try {
            result = job.body.run(job.cancellation);
        } catch (CancellationException e) {
            return job.listener::cancelled;
        } catch (Throwable e) {
            return () -> job.listener.failed(e);
        }
        return job.cancellation.requested() ? job.listener::cancelled : () -> job.listener.succeeded(result);
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
