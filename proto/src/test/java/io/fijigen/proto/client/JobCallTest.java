package io.fijigen.proto.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Progress;
import io.fijigen.proto.v1.Queued;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.Started;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JobCall} against a loopback server that plays canned event sequences, over a channel as
 * {@link ClientChannels} opens it (round_robin with health checks, as the CLI and the plugin use).
 */
class JobCallTest {
    private static final GenerateRequest GENERATE = GenerateRequest.newBuilder().setModelId("sd15")
            .setPrompt("a cat").build();
    private static final Result RESULT = Result.newBuilder()
            .addImages(Image.newBuilder().setPng(ByteString.copyFromUtf8("png")).setWidth(8).setHeight(8))
            .addSeeds(42).build();

    private final ScriptedEngine engine = new ScriptedEngine();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final JobListener recorder = new JobListener() {
        @Override
        public void queued(String jobId, int position) {
            heard.add("queued " + jobId + " at " + position);
        }

        @Override
        public void started(String jobId) {
            heard.add("started " + jobId);
        }

        @Override
        public void step(int step, int total, byte[] previewPng) {
            heard.add("step " + step + "/" + total + " preview " + new String(previewPng));
        }
    };
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(engine).addService(new HealthStatusManager().getHealthService()).build().start();
        channel = ClientChannels.open("localhost:" + server.getPort(), null, false, null);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void eventsReachTheListenerInOrderAndTheResultIsReturned() {
        engine.script = job -> {
            job.onNext(queued("j1", 2));
            job.onNext(queued("j1", 0));
            job.onNext(started("j1"));
            job.onNext(progress(1, 2, ""));
            job.onNext(progress(2, 2, "preview"));
            job.onNext(JobEvent.newBuilder().setResult(RESULT).build());
            job.onCompleted();
        };

        Result result = generate().run(recorder);

        assertThat(result).isEqualTo(RESULT);
        assertThat(heard).containsExactly("queued j1 at 2", "queued j1 at 0", "started j1", "step 1/2 preview ",
                "step 2/2 preview preview");
    }

    @Test
    void anUpscaleJobIsReadTheSameWay() {
        engine.script = job -> {
            job.onNext(queued("u1", 0));
            job.onNext(started("u1"));
            job.onNext(JobEvent.newBuilder().setResult(RESULT).build());
            job.onCompleted();
        };

        Result result = new JobCall<>(channel, CallOptions.DEFAULT, EngineGrpc.getUpscaleMethod(),
                UpscaleRequest.newBuilder().setModelId("x4").build()).run(recorder);

        assertThat(result).isEqualTo(RESULT);
        assertThat(heard).containsExactly("queued u1 at 0", "started u1");
        assertThat(engine.upscaleCalls.get()).isEqualTo(1);
    }

    @Test
    void aStreamWithoutResultIsInternal() {
        engine.script = job -> {
            job.onNext(queued("j2", 0));
            job.onNext(started("j2"));
            job.onCompleted();
        };

        assertThatThrownBy(() -> generate().run(recorder))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("the server ended the job without a result");
                });
        assertThat(heard).containsExactly("queued j2 at 0", "started j2");
    }

    @Test
    void aServerErrorComesOutWithItsCodeAndDescription() {
        engine.script = job -> {
            job.onNext(queued("j3", 0));
            job.onError(Status.RESOURCE_EXHAUSTED.withDescription("out of device memory: try fewer images")
                    .asRuntimeException());
        };
        JobCall<GenerateRequest> call = generate();

        assertThatThrownBy(() -> call.run(recorder))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("out of device memory: try fewer images");
                });
        assertThat(heard).containsExactly("queued j3 at 0");
        assertThat(call.cancelledByUser()).isFalse();
    }

    @Test
    void aCancelFromAnotherThreadEndsTheJobOnBothSides() throws Exception {
        engine.script = ScriptedEngine::stepUntilCancelled;
        JobCall<GenerateRequest> call = generate();
        CountDownLatch streaming = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                streaming.await();
                call.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();

        assertThatThrownBy(() -> call.run(new JobListener() {
            @Override
            public void step(int step, int total, byte[] previewPng) {
                heard.add("step " + step);
                streaming.countDown();
            }
        })).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
            assertThat(e.getStatus().getDescription()).isEqualTo("cancelled by the user");
        });
        canceller.join(5000);

        assertThat(call.cancelledByUser()).isTrue();
        assertThat(engine.cancelled.await(5, TimeUnit.SECONDS)).as("the server saw the cancellation").isTrue();
        assertThat(heard).startsWith("step 1").hasSizeLessThan(ScriptedEngine.STEPS);
    }

    @Test
    void aListenerThatThrowsCancelsTheCall() throws Exception {
        engine.script = ScriptedEngine::stepUntilCancelled;
        IllegalStateException broken = new IllegalStateException("the listener broke");

        assertThatThrownBy(() -> generate().run(new JobListener() {
            @Override
            public void step(int step, int total, byte[] previewPng) {
                throw broken;
            }
        })).isSameAs(broken);

        assertThat(engine.cancelled.await(5, TimeUnit.SECONDS)).as("the server saw the cancellation").isTrue();
    }

    @Test
    void aJobCancelledBeforeItRunsIsNeverSent() {
        JobCall<GenerateRequest> call = generate();
        call.cancel();

        assertThatThrownBy(() -> call.run(recorder))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        assertThat(call.cancelledByUser()).isTrue();
        assertThat(engine.generateCalls.get()).isZero();
    }

    @Test
    void aCancelledJobLeavesTheChannelUsableForTheNext() {
        engine.script = ScriptedEngine::stepUntilCancelled;
        JobCall<GenerateRequest> first = generate();
        assertThatThrownBy(() -> first.run(new JobListener() {
            @Override
            public void step(int step, int total, byte[] previewPng) {
                first.cancel();
            }
        })).isInstanceOf(StatusRuntimeException.class);
        engine.script = job -> {
            job.onNext(queued("j5", 0));
            job.onNext(JobEvent.newBuilder().setResult(RESULT).build());
            job.onCompleted();
        };

        assertThat(generate().run(recorder)).isEqualTo(RESULT);
        assertThat(engine.generateCalls.get()).isEqualTo(2);
    }

    private JobCall<GenerateRequest> generate() {
        return new JobCall<>(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                EngineGrpc.getGenerateMethod(), GENERATE);
    }

    private static JobEvent queued(String jobId, int position) {
        return JobEvent.newBuilder().setQueued(Queued.newBuilder().setJobId(jobId).setPosition(position)).build();
    }

    private static JobEvent started(String jobId) {
        return JobEvent.newBuilder().setStarted(Started.newBuilder().setJobId(jobId)).build();
    }

    private static JobEvent progress(int step, int total, String preview) {
        return JobEvent.newBuilder().setProgress(Progress.newBuilder().setStep(step).setTotal(total)
                .setPreviewPng(ByteString.copyFromUtf8(preview))).build();
    }

    /** The remote engine: plays the test's script to each Generate or Upscale call. */
    private static final class ScriptedEngine extends EngineGrpc.EngineImplBase {
        static final int STEPS = 500;

        volatile Consumer<ServerCallStreamObserver<JobEvent>> script;
        final AtomicInteger generateCalls = new AtomicInteger();
        final AtomicInteger upscaleCalls = new AtomicInteger();
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void generate(GenerateRequest request, StreamObserver<JobEvent> events) {
            generateCalls.incrementAndGet();
            play(events);
        }

        @Override
        public void upscale(UpscaleRequest request, StreamObserver<JobEvent> events) {
            upscaleCalls.incrementAndGet();
            play(events);
        }

        private void play(StreamObserver<JobEvent> events) {
            ServerCallStreamObserver<JobEvent> job = (ServerCallStreamObserver<JobEvent>) events;
            job.setOnCancelHandler(cancelled::countDown);
            script.accept(job);
        }

        /** A long job: a step every 10 ms until the client cancels it. */
        static void stepUntilCancelled(ServerCallStreamObserver<JobEvent> job) {
            job.onNext(queued("long", 0));
            job.onNext(started("long"));
            for (int step = 1; step <= STEPS && !job.isCancelled(); step++) {
                job.onNext(progress(step, STEPS, ""));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!job.isCancelled()) {
                job.onNext(JobEvent.newBuilder().setResult(RESULT).build());
                job.onCompleted();
            }
        }
    }
}
