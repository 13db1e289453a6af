package io.fijigen.engine.schedule;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.SchedulerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code sched.*} fixtures: each scheduler configured by {@link Schedulers#configFor} from the
 * tiny models' own configs (which must give the fixture's {@code sched_configs}), set to 10 steps,
 * then run on the fake model eps = 0.1·scale_model_input(x) + 0.05·sin(t) from a seed-19 draw.
 */
class SchedulerParityTest {
    /** Fixture name → (model folder, scheduler name). */
    private static final Map<String, String[]> CASES = Map.of(
            "ddim", new String[] {"tiny-sd15", "ddim"},
            "pndm", new String[] {"tiny-sd15", "pndm"},
            "euler", new String[] {"tiny-sd15", "euler"},
            "dpmpp2m_karras", new String[] {"tiny-sd15", "dpmpp_2m_karras"},
            "unipc", new String[] {"tiny-sd15", "unipc"},
            "lms", new String[] {"tiny-sd15", "lms"},
            "heun", new String[] {"tiny-sd15", "heun"},
            "ddim_vpred", new String[] {"tiny-sd2", "ddim"});

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ddim", "pndm", "euler", "dpmpp2m_karras", "unipc", "lms", "heun", "ddim_vpred"})
    void matchesReference(String fixture) throws IOException {
        SchedulerConfig own = SchedulerConfig.read(
                ParityFixtures.model(CASES.get(fixture)[0]).resolve("scheduler/scheduler_config.json"));
        SchedulerConfig config = Schedulers.configFor(CASES.get(fixture)[1], own);
        assertMatchesFixtureConfig(config, fixtureConfig(fixture));
        Scheduler scheduler = Schedulers.create(config, 10, 0.0);
        double[] expectedTimesteps = doubles(session.golden("sched." + fixture + ".timesteps"));
        assertThat(scheduler.timesteps()).as(fixture + " timesteps").containsExactly(expectedTimesteps);
        if (hasSigmas(fixture)) {
            assertSigmasClose(fixture, scheduler.sigmas(), doubles(session.golden("sched." + fixture + ".sigmas")));
        } else {
            assertThat(scheduler.sigmas()).isEmpty();
        }
        NDArray reference = session.golden("sched." + fixture + ".final");
        NDArray result = runFakeModel(scheduler, null);
        assertClose("sched." + fixture + ".final", result, reference, 1e-5 * Math.max(1, maxAbs(reference)));
    }

    /** The fixtures' loop: eps = 0.1·scale_model_input(x, t) + 0.05·sin(t) at each of the scheduler's steps. */
    static NDArray runFakeModel(Scheduler scheduler, NoiseSource noise) {
        Engine.getInstance().setRandomSeed(19);
        NDArray x = session.manager.randomNormal(new Shape(1, 4, 8, 8)).mul(scheduler.initNoiseSigma());
        double[] timesteps = scheduler.timesteps();
        for (int i = 0; i < timesteps.length; i++) {
            NDArray input = scheduler.scaleModelInput(x, i);
            NDArray eps = input.mul(0.1f).add((float) (0.05 * (float) Math.sin((float) timesteps[i])));
            NDArray next = scheduler.step(eps, i, x, noise);
            eps.close();
            if (input != x) {
                input.close();
            }
            x.close();
            x = next;
        }
        return x;
    }

    private static boolean hasSigmas(String fixture) {
        return !fixture.startsWith("ddim") && !fixture.equals("pndm");
    }

    static void assertSigmasClose(String fixture, double[] ours, double[] reference) {
        assertThat(ours).as(fixture + " sigmas length").hasSize(reference.length);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            assertThat(ours[i]).as(fixture + " sigma " + i)
                    .isCloseTo(reference[i], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(reference[i])));
            if (reference[i] != 0) {
                worst = Math.max(worst, Math.abs(ours[i] - reference[i]) / Math.abs(reference[i]));
            }
        }
        System.out.printf("parity sched.%-29s max rel diff = %.3e (tolerance 1.0e-06)%n", fixture + ".sigmas", worst);
    }

    static void assertMatchesFixtureConfig(SchedulerConfig config, JsonObject expected) {
        assertThat(config.className()).isEqualTo(expected.get("class").getAsString());
        assertThat(config.numTrainTimesteps()).isEqualTo(expected.get("num_train_timesteps").getAsInt());
        assertThat(config.betaStart()).isEqualTo(expected.get("beta_start").getAsDouble());
        assertThat(config.betaEnd()).isEqualTo(expected.get("beta_end").getAsDouble());
        assertThat(config.betaSchedule()).isEqualTo(expected.get("beta_schedule").getAsString());
        assertThat(config.trainedBetas()).isNull();
        assertThat(config.predictionType()).isEqualTo(expected.get("prediction_type").getAsString());
        assertThat(config.stepsOffset()).isEqualTo(expected.get("steps_offset").getAsInt());
        assertThat(config.timestepSpacing()).isEqualTo(expected.get("timestep_spacing").getAsString());
        checkIfPresent(expected, "set_alpha_to_one", config.setAlphaToOne());
        checkIfPresent(expected, "clip_sample", config.clipSample());
        checkIfPresent(expected, "skip_prk_steps", config.skipPrkSteps());
        checkIfPresent(expected, "use_karras_sigmas", config.useKarrasSigmas());
        checkIfPresent(expected, "lower_order_final", config.lowerOrderFinal());
        checkIfPresent(expected, "solver_order", config.solverOrder());
        checkIfPresent(expected, "solver_type", config.solverType());
        checkIfPresent(expected, "algorithm_type", config.algorithmType());
        checkIfPresent(expected, "final_sigmas_type", config.finalSigmasType());
        checkIfPresent(expected, "original_inference_steps", config.originalInferenceSteps());
        checkIfPresent(expected, "timestep_scaling", config.timestepScaling());
    }

    private static void checkIfPresent(JsonObject expected, String key, Object actual) {
        JsonElement value = expected.get(key);
        if (value == null) {
            return;
        }
        Object wanted = actual instanceof Boolean ? (Object) value.getAsBoolean()
                : actual instanceof Integer ? (Object) value.getAsInt()
                : actual instanceof Double ? (Object) value.getAsDouble() : value.getAsString();
        assertThat(actual).as(key).isEqualTo(wanted);
    }

    private static JsonObject fixtureConfig(String fixture) throws IOException {
        return fixtureConfig("goldens.json", fixture);
    }

    /** The {@code sched_configs} entry of a fixture's case in {@code goldensJson}. */
    static JsonObject fixtureConfig(String goldensJson, String fixture) throws IOException {
        JsonObject goldens = JsonParser.parseString(Files.readString(ParityFixtures.ROOT.resolve(goldensJson)))
                .getAsJsonObject();
        return goldens.getAsJsonObject("sched_configs").getAsJsonObject(fixture);
    }

    static double[] doubles(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
