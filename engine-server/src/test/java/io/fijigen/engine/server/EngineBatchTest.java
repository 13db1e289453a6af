package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fijigen.proto.client.BatchCall;
import io.fijigen.proto.client.BatchListener;
import io.fijigen.proto.v1.BatchEvent;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Batch call over real loopback gRPC, on the demo registry's tiny models, read through the client's {@link BatchCall}. */
class EngineBatchTest {
    private static final Pattern JOBS_ENDED = Pattern.compile("fijigen_jobs_total\\{outcome=\"(\\w+)\"} (\\d+)");

    private static LoopbackEngine engine;
    private static EngineGrpc.EngineBlockingStub stub;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new LoopbackEngine(2);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        engine.close();
    }

    private static GenerateRequest generation(long seed) {
        return GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cat").setWidth(64).setHeight(64)
                .setSteps(2).setScheduler("ddim").setSeed(seed).build();
    }

    private static BatchJob job(GenerateRequest request) {
        return BatchJob.newBuilder().setGenerate(request).build();
    }

    private static BatchJob job(UpscaleRequest request) {
        return BatchJob.newBuilder().setUpscale(request).build();
    }

    private static BatchCall batch(Iterator<BatchJob> jobs) {
        return new BatchCall(engine.channel, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS), jobs);
    }

    /** The result of {@code request} run alone, by its own Generate call. */
    private static Result alone(GenerateRequest request) {
        List<JobEvent> events = WireRequests.events(stub.generate(request));
        return events.get(events.size() - 1).getResult();
    }

    @Test
    void threeGenerationsComeInOrderEachWithTheImageOfItsOwnCall() {
        Jobs jobs = new Jobs(job(generation(1)), job(generation(2)), job(generation(3)));
        Heard heard = new Heard();

        batch(jobs).run(heard);

        List<String> expected = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            expected.addAll(List.of(index + " queued at 0", index + " started", index + " step 1/2", index + " step 2/2",
                    index + " result"));
        }
        assertThat(heard.events).containsExactlyElementsOf(expected);
        assertThat(heard.results.keySet()).containsExactly(0, 1, 2);
        for (int index = 0; index < 3; index++) {
            Result result = heard.results.get(index);
            assertThat(result.getSeeds(0)).isEqualTo(index + 1);
            assertThat(result.getImages(0).getPng()).as("job %d's PNG", index)
                    .isEqualTo(alone(generation(index + 1)).getImages(0).getPng());
        }
    }

    @Test
    void aBatchMixesGenerationsAndUpscales() {
        UpscaleRequest lanczos = UpscaleRequest.newBuilder().setImage(WireRequests.png(32, 24, 0x336699)).build();
        Jobs jobs = new Jobs(job(generation(1)), job(lanczos));
        Heard heard = new Heard();

        batch(jobs).run(heard);

        assertThat(heard.results.keySet()).containsExactly(0, 1);
        assertThat(heard.results.get(0).getImages(0).getWidth()).isEqualTo(64);
        Result upscaled = heard.results.get(1);
        assertThat(upscaled.getImages(0).getWidth()).isEqualTo(128);
        assertThat(upscaled.getImages(0).getHeight()).isEqualTo(96);
        List<JobEvent> alone = WireRequests.events(stub.upscale(lanczos));
        assertThat(upscaled.getImages(0).getPng())
                .isEqualTo(alone.get(alone.size() - 1).getResult().getImages(0).getPng());
    }

    @Test
    void anInvalidJobThatContinuesOnErrorIsReportedAndTheNextRuns() {
        Jobs jobs = new Jobs(job(generation(1)),
                job(generation(2).toBuilder().setWidth(4).build()).toBuilder().setContinueOnError(true).build(),
                job(generation(3)));
        Heard heard = new Heard();

        batch(jobs).run(heard);

        assertThat(heard.results.keySet()).containsExactly(0, 2);
        assertThat(heard.failures.keySet()).containsExactly(1);
        assertThat(heard.failures.get(1).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(heard.failures.get(1).getDescription()).isEqualTo("width: 4 is outside 8..2048");
        assertThat(heard.events).filteredOn(event -> event.startsWith("1 "))
                .containsExactly("1 failed INVALID_ARGUMENT: width: 4 is outside 8..2048");
    }

    @Test
    void anInvalidJobWithoutContinueOnErrorEndsTheBatchAndTheNextIsNeverSent() {
        Jobs jobs = new Jobs(job(generation(1)), job(generation(2).toBuilder().setWidth(4).build()),
                job(generation(3)));
        Heard heard = new Heard();

        assertThatThrownBy(() -> batch(jobs).run(heard)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("job 2: width: 4 is outside 8..2048");
        });
        assertThat(heard.results.keySet()).containsExactly(0);
        assertThat(jobs.taken).isEqualTo(2);
        assertThat(heard.events).noneMatch(event -> event.startsWith("1 ") || event.startsWith("2 "));
    }

    @Test
    void aJobWithoutRequestFailsNamingTheFieldAndAnEmptyBatchEndsAtOnce() {
        Heard empty = new Heard();
        batch(new Jobs()).run(empty);
        assertThat(empty.events).isEmpty();

        assertThatThrownBy(() -> batch(new Jobs(job(generation(1)), BatchJob.getDefaultInstance())).run(new Heard()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("job 2: request: neither generate nor upscale is set");
                });
    }

    @Test
    void aCancelDuringTheSecondJobEndsItAndTheThirdNeverStarts() throws Exception {
        Map<String, Long> before = jobsEnded();
        Jobs jobs = new Jobs(job(generation(1)), job(generation(2).toBuilder().setSteps(500).build()),
                job(generation(3)));
        BatchCall batch = batch(jobs);
        Heard heard = new Heard() {
            @Override
            public void step(int index, int step, int total, byte[] previewPng) {
                super.step(index, step, total, previewPng);
                if (index == 1) {
                    batch.cancel();
                }
            }
        };

        assertThatThrownBy(() -> batch.run(heard)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));

        assertThat(batch.cancelledByUser()).isTrue();
        assertThat(heard.results.keySet()).containsExactly(0);
        assertThat(heard.events).contains("1 started").noneMatch(event -> event.startsWith("2 "));
        assertThat(jobs.taken).isEqualTo(2);
        Map<String, Long> after = awaitJobsEnded(before, 2);
        assertThat(after.get("succeeded") - before.get("succeeded")).isEqualTo(1);
        assertThat(after.get("cancelled") - before.get("cancelled")).isEqualTo(1);
        assertThat(engine.queue.waitingCount()).isZero();
    }

    /** The client builds and sends a job only once the one before it has ended. */
    @Test
    void eachJobIsTakenFromTheIteratorOnlyWhenTheOneBeforeHasEnded() {
        Jobs jobs = new Jobs(job(generation(1)), job(generation(2)), job(generation(3)), job(generation(4)));
        List<String> takenAtResult = new ArrayList<>();

        batch(jobs).run((index, result) -> takenAtResult.add("result " + index + ": " + jobs.taken + " taken"));

        assertThat(takenAtResult).containsExactly("result 0: 1 taken", "result 1: 2 taken", "result 2: 3 taken",
                "result 3: 4 taken");
    }

    /**
     * A client that sends ahead finds the server reading nothing while a job runs: the jobs it sent
     * fill the transport's flow-control window and stay there, unread, until the call ends.
     */
    @Test
    void theServerReadsNoJobWhileOneRuns() throws Exception {
        Map<String, Long> before = jobsEnded();
        ClientCall<BatchJob, BatchEvent> call = engine.channel.newCall(EngineGrpc.getBatchMethod(), CallOptions.DEFAULT);
        List<BatchEvent> events = new CopyOnWriteArrayList<>();
        Semaphore ready = new Semaphore(0);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(BatchEvent event) {
                events.add(event);
                call.request(1);
            }

            @Override
            public void onReady() {
                ready.release();
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(job(generation(1).toBuilder().setSteps(900).setWidth(256).setHeight(256).build()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.stream().noneMatch(event -> event.getJob().hasStarted()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // Not PNGs: a job the server read would fail at once, and the call with it.
        BatchJob large = job(UpscaleRequest.newBuilder().setImage(ByteString.copyFrom(new byte[256 << 10])).build());
        int sent = 0;
        while (sent < 100 && (call.isReady() || ready.tryAcquire(1, TimeUnit.SECONDS))) {
            ready.drainPermits();
            call.sendMessage(large);
            sent++;
        }
        List<JobEvent.EventCase> heard = events.stream().map(event -> event.getJob().getEventCase()).toList();
        System.out.printf("the transport stopped taking jobs after %d of 256 KiB; the first job's events: %s%n",
                sent, heard.stream().distinct().toList());
        call.cancel("the test is done", null);

        assertThat(sent).as("256 KiB jobs sent before the transport stalled").isLessThan(100);
        assertThat(heard).as("the first job's events, up to the stall").startsWith(JobEvent.EventCase.QUEUED,
                JobEvent.EventCase.STARTED).doesNotContain(JobEvent.EventCase.RESULT);
        assertThat(events).allMatch(event -> event.getIndex() == 0);
        Map<String, Long> after = awaitJobsEnded(before, 1);
        assertThat(after.get("cancelled") - before.get("cancelled")).isEqualTo(1);
        assertThat(engine.queue.waitingCount()).isZero();
    }

    @Test
    void aBatchHoldsAtMostTenThousandJobs() {
        BatchJob empty = BatchJob.newBuilder().setContinueOnError(true).build();
        Iterator<BatchJob> jobs = IntStream.range(0, JobBatch.MAX_JOBS + 1).mapToObj(i -> empty).iterator();
        List<Integer> failed = new ArrayList<>();
        long start = System.nanoTime();

        assertThatThrownBy(() -> batch(jobs).run(new BatchListener() {
            @Override
            public void result(int index, Result result) {}

            @Override
            public void failed(int index, Status status) {
                failed.add(index);
            }
        })).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription())
                    .isEqualTo("job 10001: a batch holds at most 10000 jobs; send the rest in another batch");
        });
        System.out.printf("10,001 jobs without request: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(failed).hasSize(JobBatch.MAX_JOBS).startsWith(0, 1).endsWith(JobBatch.MAX_JOBS - 1);
    }

    /** Jobs ended so far, by outcome, as the metrics count them. */
    private static Map<String, Long> jobsEnded() {
        Map<String, Long> ended = new LinkedHashMap<>();
        Matcher matcher = JOBS_ENDED.matcher(engine.service.metrics().text());
        while (matcher.find()) {
            ended.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return ended;
    }

    /** The counts once {@code more} jobs than {@code before} have ended, then half a second more (for any that should not). */
    private static Map<String, Long> awaitJobsEnded(Map<String, Long> before, int more) throws InterruptedException {
        long total = before.values().stream().mapToLong(Long::longValue).sum() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jobsEnded().values().stream().mapToLong(Long::longValue).sum() < total
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        return jobsEnded();
    }

    /** Jobs handed out one at a time, counted, as a stack's slices would be read. */
    private static final class Jobs implements Iterator<BatchJob> {
        private final List<BatchJob> jobs;
        volatile int taken;

        Jobs(BatchJob... jobs) {
            this.jobs = List.of(jobs);
        }

        @Override
        public boolean hasNext() {
            return taken < jobs.size();
        }

        @Override
        public BatchJob next() {
            return jobs.get(taken++);
        }
    }

    /** What a batch's listener heard: every event as a line, the results and failures by index. */
    private static class Heard implements BatchListener {
        final List<String> events = new ArrayList<>();
        final Map<Integer, Result> results = new LinkedHashMap<>();
        final Map<Integer, Status> failures = new LinkedHashMap<>();

        @Override
        public void queued(int index, String jobId, int position) {
            events.add(index + " queued at " + position);
        }

        @Override
        public void started(int index, String jobId) {
            events.add(index + " started");
        }

        @Override
        public void step(int index, int step, int total, byte[] previewPng) {
            events.add(index + " step " + step + "/" + total);
        }

        @Override
        public void result(int index, Result result) {
            events.add(index + " result");
            results.put(index, result);
        }

        @Override
        public void failed(int index, Status status) {
            events.add(index + " failed " + status.getCode() + ": " + status.getDescription());
            failures.put(index, status);
        }
    }
}
