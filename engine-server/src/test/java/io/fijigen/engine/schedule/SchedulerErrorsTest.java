package io.fijigen.engine.schedule;

import static io.fijigen.engine.schedule.ReferenceLoops.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.ConfigException;
import io.fijigen.engine.config.SchedulerConfig;
import org.junit.jupiter.api.Test;

/** What a job or a model folder can get wrong, and the message it gets back. */
class SchedulerErrorsTest {
    private static final SchedulerConfig SD15 = config("PNDMScheduler", "\"beta_start\": 0.00085, \"beta_end\": 0.012,"
            + " \"beta_schedule\": \"scaled_linear\", \"skip_prk_steps\": true, \"steps_offset\": 1");

    @Test
    void unknownSchedulerNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Schedulers.create("foo", SD15, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scheduler 'foo' (known: ddim, pndm, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, unipc,"
                        + " lms, heun, ddpm, lcm, tcd)");
        assertThatThrownBy(() -> Schedulers.configFor("Euler", SD15)).hasMessageContaining("unknown scheduler 'Euler'");
    }

    @Test
    void stepsBelowOneAreRefused() {
        assertThatThrownBy(() -> Schedulers.create("euler", SD15, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps must be at least 1, got 0");
        assertThatThrownBy(() -> Schedulers.create(SD15, -3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -3");
        assertThatThrownBy(() -> Schedulers.create("ddim", SD15, 1001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot exceed num_train_timesteps");
    }

    @Test
    void unknownClassListsTheSupportedOnes() {
        assertThatThrownBy(() -> Schedulers.create(config("KDPM2DiscreteScheduler", ""), 20, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'KDPM2DiscreteScheduler' is not supported")
                .hasMessageContaining("DDIMScheduler, PNDMScheduler, EulerDiscreteScheduler");
    }

    @Test
    void unsupportedOptionsAreNamed() {
        assertThatThrownBy(() -> config("DDIMScheduler", "\"thresholding\": true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("thresholding = true is not supported");
        assertThatThrownBy(() -> config("EulerDiscreteScheduler", "\"use_exponential_sigmas\": true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use_exponential_sigmas");
        assertThatThrownBy(() -> config("DPMSolverMultistepScheduler", "\"algorithm_type\": \"sde-dpmsolver++\""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("algorithm_type = \"sde-dpmsolver++\"");
        assertThatThrownBy(() -> config("DPMSolverMultistepScheduler", "\"lambda_min_clipped\": -5.1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lambda_min_clipped");
        assertThatThrownBy(() -> config("UniPCMultistepScheduler", "\"disable_corrector\": [0]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("disable_corrector = [0] is not supported");
        assertThatThrownBy(() -> config("DDPMScheduler", "\"variance_type\": \"fixed_large\""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("variance_type");
        assertThatThrownBy(() -> config("EulerDiscreteScheduler", "\"final_sigmas_type\": \"one\""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("final_sigmas_type");
        assertThatThrownBy(() -> config("EulerDiscreteScheduler", "\"timestep_type\": \"continuous\""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timestep_type");
    }

    @Test
    void defaultValuesOfUnsupportedOptionsAndUnknownKeysAreAccepted() {
        SchedulerConfig dpm = config("DPMSolverMultistepScheduler", "\"lambda_min_clipped\": -Infinity,"
                + " \"thresholding\": false, \"disable_corrector\": [], \"some_future_option\": 3");
        assertThat(Schedulers.create(dpm, 10, 0).timesteps()).hasSize(10);
    }

    @Test
    void unsupportedCombinationsAreNamed() {
        assertThatThrownBy(() -> Schedulers.create(config("PNDMScheduler", "\"prediction_type\": \"sample\""), 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prediction_type sample");
        assertThatThrownBy(() -> Schedulers.create(
                config("EulerAncestralDiscreteScheduler", "\"prediction_type\": \"sample\""), 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prediction_type sample");
        assertThatThrownBy(() -> Schedulers.create(config("DPMSolverMultistepScheduler", "\"solver_order\": 4"), 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("solver_order 4 is not supported");
        assertThatThrownBy(() -> Schedulers.create(config("PNDMScheduler", ""), 3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip_prk_steps false needs at least 4");
        assertThatThrownBy(() -> Schedulers.create(config("DDIMScheduler", ""), 10, -0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta");
    }

    @Test
    void stochasticStepsNeedANoiseSource() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(1, 4, 2, 2));
            Scheduler ddim = Schedulers.create(config("DDIMScheduler", ""), 10, 0.3);
            assertThatThrownBy(() -> ddim.step(x, 0, x, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoiseSource");
            Scheduler ancestral = Schedulers.create("euler_a", SD15, 10);
            assertThatThrownBy(() -> ancestral.step(x, 0, x, null)).hasMessageContaining("Euler ancestral");
            Scheduler euler = Schedulers.create("euler", SD15, 10);
            assertThatThrownBy(() -> euler.step(x, 10, x, null)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
