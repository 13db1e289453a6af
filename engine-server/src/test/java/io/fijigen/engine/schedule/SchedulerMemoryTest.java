package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.SchedulerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A step frees what it makes: only the returned sample and a bounded history stay in the job's
 * manager, and nothing lands in the manager of the model output.
 */
class SchedulerMemoryTest {
    static final java.util.List<String> NAMES = SchedulerKind.ids();

    @ParameterizedTest(name = "{0}")
    @FieldSource("NAMES")
    void stepsDoNotAccumulateArrays(String name) {
        SchedulerConfig own = ReferenceLoops.config("PNDMScheduler", "\"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"beta_schedule\": \"scaled_linear\", \"skip_prk_steps\": true, \"steps_offset\": 1");
        Scheduler scheduler = Schedulers.create(Schedulers.configFor(name, own), 20, 0.5);
        Engine.getInstance().setRandomSeed(1);
        NoiseSource noise = (shape, manager) -> manager.randomNormal(shape);
        try (NDManager job = NDManager.newBaseManager(); NDManager model = NDManager.newBaseManager()) {
            NDArray sample = job.randomNormal(new Shape(1, 4, 8, 8)).mul(scheduler.initNoiseSigma());
            double[] timesteps = scheduler.timesteps();
            int[] counts = new int[timesteps.length];
            for (int i = 0; i < timesteps.length; i++) {
                NDArray input = scheduler.scaleModelInput(sample, i);
                NDArray output = model.create(input.toFloatArray(), input.getShape()).mul(0.1f);
                if (input != sample) {
                    input.close();
                }
                NDArray next = scheduler.step(output, i, sample, noise);
                assertThat(model.getManagedArrays()).as(name + " model manager after step " + i).hasSize(2);
                model.getManagedArrays().forEach(NDArray::close);
                sample.close();
                sample = next;
                counts[i] = job.getManagedArrays().size();
            }
            System.out.println("memory " + name + " arrays held per step: " + java.util.Arrays.toString(counts));
            // After the warm-up the history is full: the count no longer grows.
            for (int i = 5; i < counts.length; i++) {
                assertThat(counts[i]).as(name + " arrays held after step " + i).isLessThanOrEqualTo(counts[4]);
            }
            assertThat(counts[counts.length - 1]).as(name + " arrays held at the end").isLessThanOrEqualTo(1 + 4 + 2);
            assertThat(sample.toFloatArray()).doesNotContain(Float.NaN);
        }
    }
}
