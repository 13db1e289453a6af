package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.SchedulerConfig;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Schedulers#configFor}'s convention and what each name gives on the tiny models' configs. */
class SchedulersTest {

    private static SchedulerConfig own(String model) throws IOException {
        return SchedulerConfig.read(ParityFixtures.model(model).resolve("scheduler/scheduler_config.json"));
    }

    @Test
    void nullNameIsTheModelsOwn() throws IOException {
        SchedulerConfig sd2 = own("tiny-sd2");
        assertThat(Schedulers.configFor(null, sd2)).isSameAs(sd2);
        assertThat(Schedulers.create(null, sd2, 10).timesteps()).containsExactly(901, 801, 701, 601, 501, 401, 301,
                201, 101, 1);
    }

    @Test
    void otherClassesTakeTheModelsNoiseScheduleAndClassDefaults() throws IOException {
        SchedulerConfig sd2 = own("tiny-sd2");
        SchedulerConfig euler = Schedulers.configFor("euler", sd2);
        assertThat(euler.className()).isEqualTo("EulerDiscreteScheduler");
        assertThat(euler.predictionType()).isEqualTo("v_prediction");
        assertThat(euler.betaSchedule()).isEqualTo("scaled_linear");
        assertThat(euler.betaStart()).isEqualTo(0.00085);
        assertThat(euler.stepsOffset()).isEqualTo(1);
        assertThat(euler.timestepSpacing()).isEqualTo("linspace");
        SchedulerConfig pndm = Schedulers.configFor("pndm", sd2);
        assertThat(pndm.skipPrkSteps()).isTrue();
        assertThat(pndm.setAlphaToOne()).isFalse();
        assertThat(pndm.timestepSpacing()).isEqualTo("leading");
        SchedulerConfig ddpm = Schedulers.configFor("ddpm", own("tiny-sd15"));
        assertThat(ddpm.clipSample()).isFalse();
        assertThat(ddpm.varianceType()).isEqualTo("fixed_small");
        assertThat(Schedulers.configFor("euler_a", sd2).className()).isEqualTo("EulerAncestralDiscreteScheduler");
        assertThat(Schedulers.configFor("dpmpp_2m", sd2).useKarrasSigmas()).isFalse();
        assertThat(Schedulers.configFor("dpmpp_2m_karras", sd2).useKarrasSigmas()).isTrue();
    }

    @Test
    void dpmppNamesOverrideADpmModelsKarrasAndOrder() {
        SchedulerConfig dpm = ReferenceLoops.config("DPMSolverMultistepScheduler",
                "\"use_karras_sigmas\": true, \"solver_order\": 3, \"timestep_spacing\": \"trailing\"");
        SchedulerConfig plain = Schedulers.configFor("dpmpp_2m", dpm);
        assertThat(plain.useKarrasSigmas()).isFalse();
        assertThat(plain.solverOrder()).isEqualTo(2);
        assertThat(plain.timestepSpacing()).isEqualTo("trailing");
        assertThat(Schedulers.configFor("dpmpp_2m_karras", dpm).useKarrasSigmas()).isTrue();
    }

    @Test
    void everyNameRunsOnBothModels() throws IOException {
        for (String model : new String[] {"tiny-sd15", "tiny-sd2"}) {
            for (String name : SchedulerKind.ids()) {
                Scheduler scheduler = Schedulers.create(name, own(model), 10);
                int expected = switch (name) {
                    case "heun" -> 19;
                    case "pndm" -> 11;
                    default -> 10;
                };
                assertThat(scheduler.timesteps()).as(name).hasSize(expected);
                assertThat(scheduler.order()).as(name).isEqualTo(name.equals("heun") ? 2 : 1);
                boolean sigmaBased = !List.of("ddim", "pndm", "ddpm", "lcm", "tcd").contains(name);
                assertThat(scheduler.sigmas().length).as(name + " sigmas").isEqualTo(sigmaBased ? expected + 1 : 0);
                assertThat(scheduler.initNoiseSigma()).as(name).isGreaterThanOrEqualTo(1f);
            }
        }
    }
}
