package io.fijigen.engine.schedule;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.random.JobNoise;
import java.io.IOException;
import java.util.OptionalDouble;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The few-step {@code sched.*} fixtures of README-xl: LCM and TCD (eta 0.3) built from tiny-sd15's
 * own config by the SD convention, and Euler ancestral with "trailing" spacing, on the fake model of
 * {@link SchedulerParityTest}; each step's noise from the fixture's CPU generator seed, its draws
 * checked against the fixture's {@code .noise}.
 */
class FewStepSchedulerParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "lcm, lcm, , , 4, 29",
        "tcd, tcd, , 0.3, 4, 31",
        "euler_a_trailing, euler_a, trailing, , 4, 30",
        "euler_a_trailing_1step, euler_a, trailing, , 1, 30"})
    void matchesReference(String fixture, String name, String spacing, Double eta, int steps, long seed)
            throws IOException {
        SchedulerConfig own = SchedulerConfig.read(
                ParityFixtures.model("tiny-sd15").resolve("scheduler/scheduler_config.json"));
        SchedulerConfig config = Schedulers.configFor(name, own);
        SchedulerParityTest.assertMatchesFixtureConfig(spacing == null ? config : config.withTimestepSpacing(spacing),
                SchedulerParityTest.fixtureConfig("goldens-xl.json", fixture));
        SchedulerChoice choice = new SchedulerChoice(name, spacing,
                eta == null ? OptionalDouble.empty() : OptionalDouble.of(eta));
        Scheduler scheduler = Schedulers.forChoice(choice, own, steps);
        double[] expectedTimesteps = SchedulerParityTest.doubles(session.golden("sched." + fixture + ".timesteps"));
        assertThat(scheduler.timesteps()).as(fixture + " timesteps").containsExactly(expectedTimesteps);
        if (name.equals("euler_a")) {
            SchedulerParityTest.assertSigmasClose(fixture, scheduler.sigmas(),
                    SchedulerParityTest.doubles(session.golden("sched." + fixture + ".sigmas")));
        } else {
            assertThat(scheduler.sigmas()).isEmpty();
        }
        NDList draws = new NDList();
        JobNoise generator = new JobNoise(seed);
        NoiseSource recorded = (shape, manager) -> {
            NDArray draw = generator.randn(shape, manager);
            draws.add(draw.duplicate().expandDims(0));
            draws.get(draws.size() - 1).attach(session.manager);
            return draw;
        };
        NDArray result = SchedulerParityTest.runFakeModel(scheduler, recorded);
        NDArray noise = session.golden("sched." + fixture + ".noise");
        assertThat(draws).as(fixture + " draws").hasSize((int) noise.getShape().get(0));
        // Our generator's normal transform rounds differently from torch's in the last float bit.
        assertClose("sched." + fixture + ".noise", NDArrays.concat(draws), noise, 1e-6);
        NDArray reference = session.golden("sched." + fixture + ".final");
        assertClose("sched." + fixture + ".final", result, reference, 1e-5 * Math.max(1, maxAbs(reference)));
    }
}
