package io.fijigen.engine.server;

import io.fijigen.engine.runtime.ProcessMemory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.LongSupplier;

/**
 * What an operator watches, in Prometheus' text format: jobs by outcome, job and step durations,
 * the queue's length, the models' resident size and the process's resident memory.
 */
public final class ServerMetrics {
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final DoubleAdder jobSeconds = new DoubleAdder();
    private final AtomicLong jobs = new AtomicLong();
    private final DoubleAdder stepSeconds = new DoubleAdder();
    private final AtomicLong steps = new AtomicLong();
    private final LongSupplier waiting;
    private final LongSupplier modelBytes;

    public ServerMetrics(LongSupplier waiting, LongSupplier modelBytes) {
        this.waiting = waiting;
        this.modelBytes = modelBytes;
    }

    /** How a job ended. */
    public enum Outcome { SUCCEEDED, FAILED, CANCELLED }

    void jobEnded(Outcome outcome, double seconds) {
        (outcome == Outcome.SUCCEEDED ? succeeded : outcome == Outcome.FAILED ? failed : cancelled).incrementAndGet();
        jobSeconds.add(seconds);
        jobs.incrementAndGet();
    }

    /** A job that never ran: a newer interactive job of its client replaced it while it waited. */
    void jobDropped() {
        dropped.incrementAndGet();
    }

    void stepTook(double seconds) {
        stepSeconds.add(seconds);
        steps.incrementAndGet();
    }

    /** The exposition text, version 0.0.4. */
    public String text() {
        StringBuilder out = new StringBuilder();
        metric(out, "fijigen_jobs_total", "counter", "Jobs ended, by outcome.");
        sample(out, "fijigen_jobs_total{outcome=\"succeeded\"}", succeeded.get());
        sample(out, "fijigen_jobs_total{outcome=\"failed\"}", failed.get());
        sample(out, "fijigen_jobs_total{outcome=\"cancelled\"}", cancelled.get());
        sample(out, "fijigen_jobs_total{outcome=\"dropped\"}", dropped.get());
        metric(out, "fijigen_job_seconds", "summary", "Wall time of ended jobs, queueing excluded.");
        sample(out, "fijigen_job_seconds_sum", jobSeconds.sum());
        sample(out, "fijigen_job_seconds_count", jobs.get());
        metric(out, "fijigen_step_seconds", "summary", "Wall time of denoising steps.");
        sample(out, "fijigen_step_seconds_sum", stepSeconds.sum());
        sample(out, "fijigen_step_seconds_count", steps.get());
        metric(out, "fijigen_queue_waiting", "gauge", "Jobs waiting behind the running one.");
        sample(out, "fijigen_queue_waiting", waiting.getAsLong());
        metric(out, "fijigen_models_resident_bytes", "gauge", "Estimated size of the loaded models.");
        sample(out, "fijigen_models_resident_bytes", modelBytes.getAsLong());
        metric(out, "fijigen_process_resident_bytes", "gauge", "Resident memory of the process (CPU device memory).");
        sample(out, "fijigen_process_resident_bytes", Math.max(0, ProcessMemory.resident()));
        return out.toString();
    }

    private static void metric(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, double value) {
        String text = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        out.append(name).append(' ').append(text).append('\n');
    }

}
