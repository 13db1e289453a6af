package io.fijigen.plugin;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The jobs of this session: those queued or running, in the order they were started, and the last
 * few that ended, newest first. Jobs report to it from their own threads; listeners (the Jobs
 * window) are told after every change, on the reporting thread, and read snapshots.
 */
public final class JobsModel {
    /** How many ended jobs the session's model keeps. */
    public static final int HISTORY = 10;

    private static final JobsModel SESSION = new JobsModel(HISTORY);

    private final int historySize;
    private final Map<Long, JobEntry> active = new LinkedHashMap<>();
    private final Deque<JobEntry> history = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long lastId;

    public JobsModel(int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("history: " + historySize + " must be ≥ 1");
        }
        this.historySize = historySize;
    }

    /** The model of this ImageJ session, which the commands report to. */
    public static JobsModel session() {
        return SESSION;
    }

    /** Adds a queued job and returns its id. */
    public long add(String command, String prompt, Runnable cancel, Runnable rerun) {
        long id;
        synchronized (this) {
            id = ++lastId;
            active.put(id, JobEntry.queued(id, command, prompt, cancel, rerun));
        }
        changed();
        return id;
    }

    /** The job waits with {@code position} jobs ahead of it. */
    public void queued(long id, int position) {
        update(id, JobEntry.State.QUEUED, job -> job.progressed(JobEntry.State.QUEUED, position, 0, 0, null));
    }

    /** The job has started. */
    public void started(long id) {
        update(id, JobEntry.State.QUEUED,
                job -> job.progressed(JobEntry.State.RUNNING, 0, job.step(), job.steps(), job.preview()));
    }

    /** A step has finished; an empty preview keeps the last one. */
    public void step(long id, int step, int steps, byte[] preview) {
        update(id, null, job -> job.progressed(JobEntry.State.RUNNING, 0, step, steps,
                preview == null || preview.length == 0 ? job.preview() : preview));
    }

    /**
     * The job has ended: it moves to the history, which drops its oldest entry when full.
     *
     * @param parameters the result's parameters text; empty when there is no result
     * @param seconds how long the user waited
     */
    public void ended(long id, JobEntry.State end, String parameters, double seconds) {
        if (!end.ended()) {
            throw new IllegalArgumentException(end + " is not how a job ends");
        }
        synchronized (this) {
            JobEntry job = running(id);
            active.remove(id);
            history.addFirst(job.ended(end, parameters == null ? "" : parameters, seconds));
            while (history.size() > historySize) {
                history.removeLast();
            }
        }
        changed();
    }

    /** The jobs queued or running, oldest first. */
    public synchronized List<JobEntry> active() {
        return List.copyOf(active.values());
    }

    /** The jobs that ended, newest first. */
    public synchronized List<JobEntry> history() {
        return List.copyOf(history);
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /**
     * Replaces a job that has not ended by {@code change}'s entry.
     *
     * @param only the state the job must be in; null: any state before the end
     */
    private void update(long id, JobEntry.State only, UnaryOperator<JobEntry> change) {
        synchronized (this) {
            JobEntry job = running(id);
            if (only != null && job.state() != only) {
                throw new IllegalStateException("job " + id + " is " + job.state() + ", not " + only);
            }
            active.put(id, change.apply(job));
        }
        changed();
    }

    private JobEntry running(long id) {
        JobEntry job = active.get(id);
        if (job == null) {
            throw new IllegalStateException("job " + id + (id >= 1 && id <= lastId ? " has ended" : " is unknown"));
        }
        return job;
    }

    private void changed() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }
}
