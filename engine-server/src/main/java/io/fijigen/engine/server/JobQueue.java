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
 *
 * <p>An {@linkplain Lane#interactive() interactive} job (live mode: someone is watching it update)
 * waits ahead of the ordinary jobs of other clients, behind the interactive ones already waiting and
 * behind its own client's jobs, whose order it keeps. It replaces its client's interactive job still
 * waiting: that one is {@linkplain JobListener#dropped() dropped}, never run, since its answer would
 * be stale before it came. A running job is left to its client to cancel.
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
        private final Lane lane;
        private final Cancellation cancellation = new Cancellation();
        /** The position last told to the listener; −1 before any. */
        private int position = -1;

        private Job(String id, Lane lane, JobBody<T> body, JobListener<T> listener) {
            this.id = id;
            this.lane = lane;
            this.body = body;
            this.listener = listener;
        }

        public String id() {
            return id;
        }
    }

    /**
     * Whose job it is and how it waits.
     *
     * @param client who submitted it: jobs of one client keep their order, and its interactive jobs
     *     replace each other
     * @param interactive whether it waits ahead of other clients' ordinary jobs
     */
    public record Lane(String client, boolean interactive) {
        /** An ordinary job of a client that is not told apart from the others. */
        public static final Lane ORDINARY = new Lane("", false);
    }

    /** {@link #submit(String, Lane, JobBody, JobListener)} of an {@linkplain Lane#ORDINARY ordinary} job. */
    public <T> Job<T> submit(String id, JobBody<T> body, JobListener<T> listener) throws QueueFullException {
        return submit(id, Lane.ORDINARY, body, listener);
    }

    /**
     * Queues a job, or runs it at once when the device is free.
     *
     * @throws QueueFullException when {@code maxWaiting} jobs already wait
     * @throws ServerShuttingDownException while draining
     */
    public <T> Job<T> submit(String id, Lane lane, JobBody<T> body, JobListener<T> listener)
            throws QueueFullException {
        Job<T> job = new Job<>(id, lane, body, listener);
        List<Job<?>> dropped = new ArrayList<>();
        synchronized (this) {
            if (draining) {
                throw new ServerShuttingDownException("the server is shutting down and takes no new jobs");
            }
            List<Job<?>> order = new ArrayList<>(waiting);
            if (lane.interactive()) {
                order.removeIf(other -> other.lane.equals(lane) && dropped.add(other));
            }
            // The head of `waiting` may be about to start: it counts as the running job.
            int ahead = running != null ? 1 : 0;
            if (order.size() + ahead >= maxWaiting + 1) {
                throw new QueueFullException(maxWaiting);
            }
            order.add(lane.interactive() ? placeOfInteractive(order, lane.client()) : order.size(), job);
            waiting.clear();
            waiting.addAll(order);
            for (int i = 0; i < order.size(); i++) {
                tell(order.get(i), ahead + i);
            }
        }
        dropped.forEach(other -> other.listener.dropped());
        worker.execute(this::runNext);
        return job;
    }

    /** Behind the last waiting job that is interactive or {@code client}'s own. */
    private static int placeOfInteractive(List<Job<?>> order, String client) {
        for (int i = order.size() - 1; i >= 0; i--) {
            Job<?> other = order.get(i);
            if (other.lane.interactive() || other.lane.client().equals(client)) {
                return i + 1;
            }
        }
        return 0;
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
