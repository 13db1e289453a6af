package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.SchedulerConfig;
import java.io.IOException;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A job's timestep_spacing and eta over the model's scheduler config (tiny-sd15's: PNDM, "leading",
 * steps_offset 1), and what each scheduler refuses.
 */
class SchedulerChoiceTest {
    private static SchedulerConfig sd15() throws IOException {
        return SchedulerConfig.read(ParityFixtures.model("tiny-sd15").resolve("scheduler/scheduler_config.json"));
    }

    private static Scheduler create(String name, String spacing, Double eta, int steps) throws IOException {
        return Schedulers.forChoice(new SchedulerChoice(name, spacing,
                eta == null ? OptionalDouble.empty() : OptionalDouble.of(eta)), sd15(), steps);
    }

    /** diffusers' "trailing" is np.round(np.arange(1000, 0, -1000/4)) − 1 for every class that spaces timesteps. */
    @Test
    void trailingSpacingHoldsForEverySchedulerThatReadsIt() throws IOException {
        for (String name : new String[] {"ddim", "ddpm", "euler", "euler_a", "lms", "dpmpp_2m", "dpmpp_2m_karras",
                "unipc"}) {
            double[] timesteps = create(name, "trailing", null, 4).timesteps();
            if (name.equals("dpmpp_2m_karras")) {
                // Karras sigmas replace the spaced timesteps, starting at σ_max (t 999) all the same.
                assertThat(timesteps[0]).as(name).isEqualTo(999);
            } else {
                assertThat(timesteps).as(name).containsExactly(999, 749, 499, 249);
            }
        }
        assertThat(create("heun", "trailing", null, 2).timesteps()).containsExactly(999, 499, 499);
        assertThat(create("ddim", "linspace", null, 4).timesteps()).containsExactly(999, 666, 333, 0);
        // Unset: the config's own "leading" with steps_offset 1.
        assertThat(create("ddim", null, null, 4).timesteps()).containsExactly(751, 501, 251, 1);
    }

    @Test
    void consistencySchedulersTakeTheirTimestepsFromTheDistilledSchedule() throws IOException {
        assertThat(create("lcm", null, null, 4).timesteps()).containsExactly(999, 759, 499, 259);
        assertThat(create("tcd", null, null, 2).timesteps()).containsExactly(999, 499);
        assertThat(create("lcm", null, null, 1).timesteps()).containsExactly(999);
        assertThatThrownBy(() -> create("lcm", null, null, 51))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps: 51 is more than the 50 steps of the schedule this model was distilled on"
                        + " (original_inference_steps); use at most 50");
    }

    /**
     * A model's own LCM config: its original_inference_steps 25 gives k = 40 and indices
     * floor(linspace(0, 25, 4, endpoint=False)) = 0, 6, 12, 18 into 999, 959, …; its class defaults
     * are SD's noise schedule and timestep_scaling 10.
     */
    @Test
    void aModelsOwnConsistencyConfigIsRead() {
        SchedulerConfig own = ReferenceLoops.config("LCMScheduler", "\"original_inference_steps\": 25,"
                + " \"timestep_scaling\": 5.0");
        assertThat(own.originalInferenceSteps()).isEqualTo(25);
        assertThat(own.timestepScaling()).isEqualTo(5.0);
        assertThat(Schedulers.create(null, own, 4).timesteps()).containsExactly(999, 759, 519, 279);
        SchedulerConfig defaults = SchedulerConfig.defaults("TCDScheduler");
        assertThat(new Object[] {defaults.betaStart(), defaults.betaEnd(), defaults.betaSchedule(),
                defaults.originalInferenceSteps(), defaults.timestepScaling(), defaults.setAlphaToOne(),
                defaults.clipSample(), defaults.timestepSpacing()})
                .containsExactly(0.00085, 0.012, "scaled_linear", 50, 10.0, true, false, "leading");
    }

    @Test
    void aSpacingOrEtaTheSchedulerDoesNotReadIsRefusedNamingTheField() {
        assertThatThrownBy(() -> create("lcm", "trailing", null, 4))
                .isInstanceOf(SchedulerChoiceException.class)
                .hasMessage("timestep_spacing: lcm takes its timesteps from the schedule it was distilled on"
                        + " (original_inference_steps 50), not from a timestep_spacing; leave it unset")
                .extracting(e -> ((SchedulerChoiceException) e).field()).isEqualTo("timestep_spacing");
        assertThatThrownBy(() -> create("euler_a", null, 0.5, 4))
                .isInstanceOf(SchedulerChoiceException.class)
                .hasMessage("eta: euler_a takes no eta (only ddim and tcd do); leave it unset");
        assertThatThrownBy(() -> create("tcd", null, 1.5, 4))
                .isInstanceOf(SchedulerChoiceException.class)
                .hasMessageStartingWith("eta: 1.5 is outside 0..1");
    }

    @Test
    void etaDefaultsToTheSchedulersOwn() {
        assertThat(SchedulerKind.TCD.defaultEta()).isEqualTo(0.3);
        assertThat(SchedulerKind.DDIM.defaultEta()).isEqualTo(0.0);
        assertThat(SchedulerKind.ids().stream().filter(id -> SchedulerKind.named(id).readsEta()))
                .containsExactly("ddim", "tcd");
    }
}
