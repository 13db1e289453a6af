package io.fijigen.plugin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import org.junit.jupiter.api.Test;

/**
 * Jobs one after another on one client, from its first call on. The first call is when gRPC
 * connects and starts the health-check stream, possibly on the calling thread: a job that ends,
 * or is cancelled, must not take that stream with it (the next job would get UNAVAILABLE).
 */
class EngineClientJobsTest extends LoopbackServerTestBase {
    private static final GenerateRequest JOB = GenerateRequest.newBuilder().setModelId("tiny-sd15")
            .setPrompt("a cat").setWidth(64).setHeight(64).setSteps(2).setSeed(1).build();

    @Test
    void aFreshClientRunsJobAfterJob() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (EngineClient client = new EngineClient(server.connection())) {
                for (int job = 0; job < 3; job++) {
                    assertThat(client.generate(JOB, JobListener.NONE).getImagesCount()).as("round %d job %d",
                            round, job).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aCancelledFirstJobLeavesTheClientUsable() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (EngineClient client = new EngineClient(server.connection())) {
                GenerateRequest slow = JOB.toBuilder().setSteps(150).build();
                assertThatThrownBy(() -> client.generate(slow, new JobListener() {
                    @Override
                    public void step(int step, int total, byte[] previewPng) {
                        client.cancel();
                    }
                })).isInstanceOf(GenerationCancelledException.class);
                assertThat(client.generate(JOB, JobListener.NONE).getImagesCount()).isEqualTo(1);
            }
        }
    }
}
