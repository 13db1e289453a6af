package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One job at a time per device, a bounded FIFO behind it, positions, cancellation, draining, and
 * interactive jobs ahead of other clients' and replacing their own client's.
 */
class JobQueueTest {

    /** Records what a job's submitter hears, and lets the test wait for the end. */
    private static class Recorder implements JobListener<String> {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(1);
        final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void queued(int position) {
            events.add("queued " + position);
        }

        @Override
        public void started() {
            events.add("started");
        }

        @Override
        public void succeeded(String result) {
            events.add("done " + result);
            done.countDown();
        }

        @Override
        public void failed(Throwable error) {
            events.add("failed " + error.getMessage());
            done.countDown();
        }

        @Override
        public void cancelled() {
            events.add("cancelled");
            done.countDown();
        }

        @Override
        public void dropped() {
            events.add("dropped");
            done.countDown();
        }

        void await() throws InterruptedException {
            assertThat(done.await(10, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        }
    }

    /** A job that runs "steps" until released, checking its cancel flag between steps like a pipeline. */
    private static JobBody<String> gatedJob(String name, CountDownLatch gate, List<String> order) {
        return cancellation -> {
            order.add(name);
            while (!gate.await(5, TimeUnit.MILLISECONDS)) {
                if (cancellation.requested()) {
                    throw new CancellationException();
                }
            }
            return name;
        };
    }

    @Test
    void fiveClientsWithRoomForTwoWaitingGiveThreeRunsInOrderAndTwoRefusals() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 2)) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            List<Recorder> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 1; i <= 5; i++) {
                Recorder recorder = new Recorder("job" + i);
                try {
                    queue.submit("job" + i, gatedJob("job" + i, gate, order), recorder);
                    accepted.add(recorder);
                } catch (QueueFullException e) {
                    assertThat(e).hasMessageContaining("queue is full (2 waiting)");
                    refused++;
                }
            }
            gate.countDown();
            for (Recorder recorder : accepted) {
                recorder.await();
            }
            assertThat(accepted).hasSize(3);
            assertThat(refused).isEqualTo(2);
            assertThat(order).containsExactly("job1", "job2", "job3");
            assertThat(accepted.get(0).events).containsExactly("queued 0", "started", "done job1");
            assertThat(accepted.get(2).events).containsExactly("queued 2", "queued 1", "started", "done job3");
        }
    }

    /** As a Batch call does: the next job is submitted from the listener of the one before. */
    @Test
    void aJobSubmittedOnHearingTheResultOfTheOneBeforeFindsTheDeviceFree() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 0)) {
            Recorder second = new Recorder("second");
            List<String> refusals = new CopyOnWriteArrayList<>();
            queue.submit("first", cancellation -> "first", new Recorder("first") {
                @Override
                public void succeeded(String result) {
                    super.succeeded(result);
                    try {
                        queue.submit("second", cancellation -> "second", second);
                    } catch (QueueFullException e) {
                        refusals.add(e.getMessage());
                        second.done.countDown();
                    }
                }
            });
            second.await();
            assertThat(refusals).isEmpty();
            assertThat(second.events).containsExactly("queued 0", "started", "done second");
        }
    }

    @Test
    void cancellingTheRunningJobEndsItAndTheNextRuns() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 4)) {
            CountDownLatch never = new CountDownLatch(1);
            CountDownLatch open = new CountDownLatch(0);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            Recorder first = new Recorder("first");
            Recorder second = new Recorder("second");
            queue.submit("first", gatedJob("first", never, order), first);
            queue.submit("second", gatedJob("second", open, order), second);
            while (!order.contains("first")) {
                Thread.sleep(2);
            }
            assertThat(queue.cancel("first")).isTrue();
            first.await();
            second.await();
            assertThat(first.events).containsExactly("queued 0", "started", "cancelled");
            assertThat(second.events).containsExactly("queued 1", "started", "done second");
        }
    }

    @Test
    void cancellingAWaitingJobRemovesItAndMovesTheOthersUp() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 4)) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            Recorder a = new Recorder("a");
            Recorder b = new Recorder("b");
            Recorder c = new Recorder("c");
            queue.submit("a", gatedJob("a", gate, order), a);
            queue.submit("b", gatedJob("b", gate, order), b);
            queue.submit("c", gatedJob("c", gate, order), c);
            assertThat(queue.cancel("b")).isTrue();
            assertThat(queue.cancel("nobody")).isFalse();
            gate.countDown();
            a.await();
            b.await();
            c.await();
            assertThat(b.events).containsExactly("queued 1", "cancelled");
            assertThat(c.events).containsExactly("queued 2", "queued 1", "started", "done c");
            assertThat(order).containsExactly("a", "c");
        }
    }

    @Test
    void aFailingJobReportsItsErrorAndTheQueueGoesOn() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 2)) {
            Recorder bad = new Recorder("bad");
            Recorder good = new Recorder("good");
            queue.submit("bad", cancellation -> {
                throw new IllegalStateException("out of memory on the device");
            }, bad);
            queue.submit("good", cancellation -> "ok", good);
            bad.await();
            good.await();
            assertThat(bad.events).containsExactly("queued 0", "started", "failed out of memory on the device");
            assertThat(good.events).endsWith("done ok");
        }
    }

    @Test
    void drainingLetsTheRunningJobFinishDropsTheWaitingOnesAndRefusesNewJobs() throws Exception {
        JobQueue queue = new JobQueue("cpu", 2);
        CountDownLatch gate = new CountDownLatch(1);
        Recorder running = new Recorder("running");
        Recorder waiting = new Recorder("waiting");
        List<String> order = new CopyOnWriteArrayList<>();
        queue.submit("running", gatedJob("running", gate, order), running);
        queue.submit("waiting", cancellation -> "never", waiting);
        // Started, not only told it runs next: a job still in the wait list would be dropped.
        while (order.isEmpty()) {
            Thread.sleep(1);
        }
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        release.start();
        assertThat(queue.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(queue.isDraining()).isTrue();
        assertThat(running.events).containsExactly("queued 0", "started", "done running");
        assertThat(waiting.events).containsExactly("queued 1",
                "failed the server is shutting down: the job was dropped from the queue before it started");
        assertThatThrownBy(() -> queue.submit("late", cancellation -> "x", new Recorder("late")))
                .isInstanceOf(ServerShuttingDownException.class).hasMessageContaining("shutting down");
        queue.close();
    }

    private static final JobQueue.Lane A = new JobQueue.Lane("a", false);
    private static final JobQueue.Lane A_LIVE = new JobQueue.Lane("a", true);
    private static final JobQueue.Lane B = new JobQueue.Lane("b", false);
    private static final JobQueue.Lane C_LIVE = new JobQueue.Lane("c", true);

    /** Waits until {@code name} runs, so what follows queues behind it. */
    private static void awaitRunning(List<String> order, String name) throws InterruptedException {
        while (!order.contains(name)) {
            Thread.sleep(2);
        }
    }

    @Test
    void anInteractiveJobWaitsAheadOfOtherClientsOrdinaryJobsAndBehindItsOwnClients() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 8)) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            queue.submit("busy", B, gatedJob("busy", gate, order), new Recorder("busy"));
            awaitRunning(order, "busy");
            CountDownLatch open = new CountDownLatch(0);
            Recorder a1 = new Recorder("a1");
            Recorder b1 = new Recorder("b1");
            Recorder aLive = new Recorder("a-live");
            Recorder cLive = new Recorder("c-live");
            queue.submit("a1", A, gatedJob("a1", open, order), a1);
            queue.submit("b1", B, gatedJob("b1", open, order), b1);
            queue.submit("a-live", A_LIVE, gatedJob("a-live", open, order), aLive);
            queue.submit("c-live", C_LIVE, gatedJob("c-live", open, order), cLive);

            gate.countDown();
            for (Recorder recorder : List.of(a1, b1, aLive, cLive)) {
                recorder.await();
            }
            // a-live behind a's own a1; c-live behind the interactive a-live; both ahead of b's b1.
            assertThat(order).containsExactly("busy", "a1", "a-live", "c-live", "b1");
            assertThat(b1.events).containsExactly("queued 2", "queued 3", "queued 4", "queued 3", "queued 2",
                    "queued 1", "started", "done b1");
            assertThat(cLive.events).startsWith("queued 3");
        }
    }

    @Test
    void aNewerInteractiveJobOfTheSameClientDropsTheWaitingOneAndLeavesTheRunningOne() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 8)) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            Recorder running = new Recorder("live0");
            queue.submit("live0", A_LIVE, gatedJob("live0", gate, order), running);
            awaitRunning(order, "live0");
            CountDownLatch open = new CountDownLatch(0);
            List<Recorder> live = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                Recorder recorder = new Recorder("live" + i);
                queue.submit("live" + i, A_LIVE, gatedJob("live" + i, open, order), recorder);
                live.add(recorder);
            }
            Recorder other = new Recorder("c-live");
            queue.submit("c-live", C_LIVE, gatedJob("c-live", open, order), other);

            assertThat(live.get(0).events).containsExactly("queued 1", "dropped");
            assertThat(live.get(1).events).containsExactly("queued 1", "dropped");
            gate.countDown();
            running.await();
            live.get(2).await();
            other.await();
            assertThat(order).containsExactly("live0", "live3", "c-live");
            assertThat(running.events).containsExactly("queued 0", "started", "done live0");
            assertThat(live.get(2).events).containsExactly("queued 1", "started", "done live3");
        }
    }

    @Test
    void theJobAnInteractiveJobReplacesMakesRoomForItInAFullQueue() throws Exception {
        try (JobQueue queue = new JobQueue("cpu", 1)) {
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            queue.submit("busy", B, gatedJob("busy", gate, order), new Recorder("busy"));
            awaitRunning(order, "busy");
            Recorder first = new Recorder("live1");
            queue.submit("live1", A_LIVE, gatedJob("live1", gate, order), first);

            Recorder second = new Recorder("live2");
            queue.submit("live2", A_LIVE, gatedJob("live2", gate, order), second);
            assertThatThrownBy(() -> queue.submit("b2", B, cancellation -> "b2", new Recorder("b2")))
                    .isInstanceOf(QueueFullException.class);
            assertThatThrownBy(() -> queue.submit("c-live", C_LIVE, cancellation -> "c", new Recorder("c-live")))
                    .isInstanceOf(QueueFullException.class);

            gate.countDown();
            second.await();
            assertThat(first.events).containsExactly("queued 1", "dropped");
            assertThat(order).containsExactly("busy", "live2");
        }
    }
}
