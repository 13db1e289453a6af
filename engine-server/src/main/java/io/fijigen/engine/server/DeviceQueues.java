package io.fijigen.engine.server;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * One {@link JobQueue} per device: a job waits only behind jobs on its own model's device, so a
 * GPU job never queues behind a CPU one; each device still runs one job at a time.
 */
public final class DeviceQueues implements AutoCloseable {
    private final Map<ModelDevice, JobQueue> queues = new EnumMap<>(ModelDevice.class);

    public DeviceQueues(int maxWaiting) {
        for (ModelDevice device : ModelDevice.values()) {
            queues.put(device, new JobQueue(device.configName(), maxWaiting));
        }
    }

    public JobQueue of(ModelDevice device) {
        return queues.get(device);
    }

    /** Cancels the job wherever it is; false when no queue knows it. */
    public boolean cancel(String jobId) {
        for (JobQueue queue : queues.values()) {
            if (queue.cancel(jobId)) {
                return true;
            }
        }
        return false;
    }

    public int waitingCount() {
        return queues.values().stream().mapToInt(JobQueue::waitingCount).sum();
    }

    /**
     * {@link JobQueue#drain} on every device at once: each refuses new jobs and drops its waiting
     * ones now; the running jobs share one deadline, {@code timeout} from now.
     *
     * @return whether every running job finished before the deadline
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        queues.values().forEach(JobQueue::refuseNew);
        boolean finished = true;
        for (JobQueue queue : queues.values()) {
            finished &= queue.finishBy(deadline);
        }
        return finished;
    }

    @Override
    public void close() {
        queues.values().forEach(JobQueue::close);
    }
}
