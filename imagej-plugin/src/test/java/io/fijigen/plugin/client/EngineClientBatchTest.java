package io.fijigen.plugin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.proto.client.BatchListener;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches through the plugin's client, on the engine's own server over loopback. */
class EngineClientBatchTest extends LoopbackServerTestBase {
    private static final GenerateRequest JOB = GenerateRequest.newBuilder().setModelId("tiny-sd15")
            .setPrompt("a cat").setWidth(64).setHeight(64).setSteps(2).setScheduler("ddim").build();
    private static final BatchJob TOO_NARROW = BatchJob.newBuilder().setGenerate(JOB.toBuilder().setWidth(4)).build();

    private static BatchJob job(long seed) {
        return BatchJob.newBuilder().setGenerate(JOB.toBuilder().setSeed(seed)).build();
    }

    /** The results and failures a batch reported, as lines in the order they came. */
    private static final class Outcomes implements BatchListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void result(int index, Result result) {
            lines.add(index + ": seed " + result.getSeeds(0));
        }

        @Override
        public void failed(int index, Status status) {
            lines.add(index + ": " + status.getCode() + " " + status.getDescription());
        }
    }

    @Test
    void resultsComeInOrderAndAFailedJobThatContinuesIsReportedWithItsIndex() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (EngineClient client = new EngineClient(server.connection())) {
            client.batch(List.of(job(1), TOO_NARROW.toBuilder().setContinueOnError(true).build(), job(3)).iterator(),
                    outcomes);
        }

        assertThat(outcomes.lines).containsExactly("0: seed 1", "1: INVALID_ARGUMENT width: 4 is outside 8..2048",
                "2: seed 3");
    }

    @Test
    void aFailedJobThatDoesNotContinueEndsTheBatchWithItsNumber() {
        Outcomes outcomes = new Outcomes();
        try (EngineClient client = new EngineClient(server.connection())) {
            assertThatThrownBy(() -> client.batch(List.of(job(1), TOO_NARROW, job(3)).iterator(), outcomes))
                    .isExactlyInstanceOf(EngineException.class)
                    .hasMessage("job 2: width: 4 is outside 8..2048")
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }

        assertThat(outcomes.lines).containsExactly("0: seed 1");
    }

    @Test
    void aCancelledBatchLeavesTheClientUsable() throws Exception {
        Outcomes outcomes = new Outcomes();
        try (EngineClient client = new EngineClient(server.connection())) {
            BatchJob slow = BatchJob.newBuilder().setGenerate(JOB.toBuilder().setSteps(500)).build();
            assertThatThrownBy(() -> client.batch(List.of(job(1), slow, job(3)).iterator(), new BatchListener() {
                @Override
                public void step(int index, int step, int total, byte[] previewPng) {
                    if (index == 1) {
                        client.cancel();
                    }
                }

                @Override
                public void result(int index, Result result) {
                    outcomes.result(index, result);
                }
            })).isInstanceOf(GenerationCancelledException.class).hasMessage("the batch was cancelled");

            assertThat(outcomes.lines).containsExactly("0: seed 1");
            assertThat(client.generate(JOB, JobListener.NONE).getImagesCount()).isEqualTo(1);
        }
    }
}
