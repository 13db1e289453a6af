package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.config.SchedulerConfig;
import org.junit.jupiter.api.Test;

/**
 * The noise schedule repeats the reference's float32 torch arithmetic in Java; checked here
 * element for element against the same torch operations run through DJL's libtorch.
 */
class NoiseScheduleTest {

    @Test
    void linearBetasAndAlphasCumprodMatchTorch() {
        check("linear", 0.0001, 0.02, 1000);
        check("linear", 0.0001, 0.02, 1100);
        check("linear", 0.01, 0.02, 1000);
    }

    @Test
    void scaledLinearBetasAndAlphasCumprodMatchTorch() {
        check("scaled_linear", 0.00085, 0.012, 1000);
        check("scaled_linear", 0.0001, 0.02, 1000);
    }

    @Test
    void cosineScheduleIsCapped() {
        NoiseSchedule schedule = NoiseSchedule.of(ReferenceLoops.config("DDIMScheduler",
                "\"beta_schedule\": \"squaredcos_cap_v2\""));
        assertThat(schedule.beta(999)).isEqualTo(0.999f);
        assertThat(schedule.beta(0)).isCloseTo(4.1e-5f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void trainedBetasReplaceTheSchedule() {
        StringBuilder betas = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            betas.append(i == 0 ? "" : ", ").append(0.01 * (i + 1));
        }
        NoiseSchedule schedule = NoiseSchedule.of(ReferenceLoops.config("DDIMScheduler",
                "\"num_train_timesteps\": 10, \"trained_betas\": [" + betas + "]"));
        assertThat(schedule.beta(3)).isEqualTo(0.04f);
        assertThat(schedule.alphaCumprod(1)).isEqualTo((float) ((double) (1 - 0.01f) * (1 - 0.02f)));
    }

    private static void check(String schedule, double start, double end, int n) {
        SchedulerConfig config = ReferenceLoops.config("DDIMScheduler", "\"beta_schedule\": \"" + schedule + "\","
                + " \"beta_start\": " + start + ", \"beta_end\": " + end + ", \"num_train_timesteps\": " + n);
        NoiseSchedule ours = NoiseSchedule.of(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray betas = schedule.equals("linear")
                    ? manager.linspace((float) start, (float) end, n)
                    : manager.linspace((float) Math.sqrt(start), (float) Math.sqrt(end), n).square();
            float[] torchBetas = betas.toFloatArray();
            float[] torchCumprod = betas.neg().add(1f).cumProd(0).toFloatArray();
            for (int t = 0; t < n; t++) {
                assertThat(ours.beta(t)).as(schedule + " beta " + t).isEqualTo(torchBetas[t]);
                assertThat(ours.alphaCumprod(t)).as(schedule + " alphas_cumprod " + t).isEqualTo(torchCumprod[t]);
            }
        }
    }
}
