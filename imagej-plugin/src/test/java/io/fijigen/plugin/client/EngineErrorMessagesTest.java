package io.fijigen.plugin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.LoopbackServer;
import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a user reads when the engine refuses a call, from a real engine on loopback: their words
 * and the setting to change, not gRPC's; the status code stays for programs.
 */
class EngineErrorMessagesTest extends LoopbackServerTestBase {
    @Test
    void anUnknownModelIsNamedWithTheModelsTheEngineHas() {
        try (EngineClient client = new EngineClient(server.connection())) {
            assertThatThrownBy(() -> client.generate(job("no-such-model", 1), JobListener.NONE))
                    .hasMessageStartingWith("the engine has no model 'no-such-model' — known models: ")
                    .hasMessageContaining("tiny-sd15")
                    .hasMessageNotContaining("NOT_FOUND")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void aFieldOutOfRangeKeepsTheEnginesWordsWithoutTheCode() {
        try (EngineClient client = new EngineClient(server.connection())) {
            assertThatThrownBy(() -> client.generate(job("tiny-sd15", 1001), JobListener.NONE))
                    .hasMessageStartingWith("steps: 1001 ")
                    .hasMessageContaining("1000")
                    .hasMessageNotContaining("INVALID_ARGUMENT")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void aJobPastTheTimeoutNamesTheTimeoutSetting() {
        try (EngineClient client = new EngineClient(server.connection().withTimeout(1))) {
            assertThatThrownBy(() -> client.generate(job("tiny-sd15", 500), JobListener.NONE))
                    .hasMessage("the engine did not finish within the 1 s timeout — raise the timeout (0: none) in "
                            + "Plugins › fijigen › Server Settings…")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        }
    }

    @Test
    void aJobWhileTheQueueIsFullSaysTheEngineIsBusy() throws Exception {
        // No job may wait there: a second job while one runs is refused.
        try (LoopbackServer full = new LoopbackServer(null, 0);
                EngineClient first = new EngineClient(full.connection());
                EngineClient second = new EngineClient(full.connection())) {
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Throwable> firstJob = CompletableFuture.supplyAsync(() -> {
                try {
                    first.generate(job("tiny-sd15", 500), new JobListener() {
                        @Override
                        public void step(int step, int total, byte[] previewPng) {
                            running.countDown();
                        }
                    });
                    return null;
                } catch (EngineException e) {
                    return e;
                }
            });
            assertThat(running.await(60, TimeUnit.SECONDS)).as("the first job runs: %s", firstJob.getNow(null)).isTrue();

            assertThatThrownBy(() -> second.generate(job("tiny-sd15", 1), JobListener.NONE))
                    .hasMessage("the engine cannot take the job now: the job queue is full (0 waiting); try again later")
                    .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            first.cancel();
            assertThat(firstJob.get(60, TimeUnit.SECONDS)).isInstanceOf(GenerationCancelledException.class)
                    .hasMessage("the job was cancelled");
        }
    }

    private static GenerateRequest job(String model, int steps) {
        return GenerateRequest.newBuilder().setModelId(model).setPrompt("x").setSteps(steps).setSeed(1)
                .setWidth(64).setHeight(64).build();
    }

    private static Status.Code code(Throwable e) {
        return ((EngineException) e).code();
    }
}
