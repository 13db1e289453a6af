package io.fijigen.proto.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.proto.v1.BatchEvent;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchCall}'s own failures against a loopback server that answers each job by a script,
 * over a channel as {@link ClientChannels} opens it. The engine's batches themselves are tested
 * against the engine (EngineBatchTest).
 */
class BatchCallTest {
    private static final BatchJob JOB = BatchJob.newBuilder()
            .setGenerate(GenerateRequest.newBuilder().setModelId("sd15").setPrompt("a cat")).build();
    private static final Result RESULT = Result.newBuilder().addSeeds(42).build();

    private final ScriptedEngine engine = new ScriptedEngine();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(engine).build().start();
        channel = ClientChannels.open("localhost:" + server.getPort(), null, false, null);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private BatchCall batch(List<BatchJob> jobs) {
        return new BatchCall(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), jobs.iterator());
    }

    @Test
    void aBatchTheServerEndsBeforeItsJobsIsInternal() {
        engine.script = (index, events) -> events.onCompleted();

        assertThatThrownBy(() -> batch(List.of(JOB, JOB)).run((index, result) -> { }))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("the server ended the batch after 0 of its jobs, before the rest");
                });
    }

    @Test
    void aListenerThatThrowsCancelsTheBatch() throws Exception {
        engine.script = (index, events) -> events.onNext(BatchEvent.newBuilder().setIndex(index)
                .setJob(JobEvent.newBuilder().setResult(RESULT)).build());
        IllegalStateException broken = new IllegalStateException("the listener broke");

        assertThatThrownBy(() -> batch(List.of(JOB, JOB, JOB)).run((index, result) -> {
            throw broken;
        })).isSameAs(broken);

        assertThat(engine.cancelled.await(5, TimeUnit.SECONDS)).as("the server saw the cancellation").isTrue();
        assertThat(engine.jobs.get()).isEqualTo(1);
    }

    @Test
    void aBatchCancelledBeforeItRunsIsNeverSent() {
        BatchCall batch = batch(List.of(JOB));
        batch.cancel();

        assertThatThrownBy(() -> batch.run((index, result) -> { }))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        assertThat(batch.cancelledByUser()).isTrue();
        assertThat(engine.calls.get()).isZero();
    }

    /** The remote engine: answers each job of a Batch call by the test's script. */
    private static final class ScriptedEngine extends EngineGrpc.EngineImplBase {
        volatile BiConsumer<Integer, StreamObserver<BatchEvent>> script;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger jobs = new AtomicInteger();
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public StreamObserver<BatchJob> batch(StreamObserver<BatchEvent> events) {
            calls.incrementAndGet();
            ((ServerCallStreamObserver<BatchEvent>) events).setOnCancelHandler(cancelled::countDown);
            return new StreamObserver<>() {
                @Override
                public void onNext(BatchJob job) {
                    script.accept(jobs.getAndIncrement(), events);
                }

                @Override
                public void onError(Throwable error) {}

                @Override
                public void onCompleted() {}
            };
        }
    }
}
