package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The step scope: a CPU manager (so a step's Java coefficients become CPU scalars, not
 * host→device copies), whose intermediates are freed and whose result and noise follow the sample.
 */
class StepScopeTest {

    @Test
    void stepArithmeticRunsInACpuScopeAndOnlyTheResultStays() {
        try (NDManager job = NDManager.newBaseManager()) {
            NDArray sample = job.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
            NDManager[] seen = new NDManager[1];
            NDArray result = StepScope.run(sample, scope -> {
                seen[0] = scope;
                return sample.mul(0.5f).add(1f);
            });
            assertThat(seen[0].getDevice()).isEqualTo(Device.cpu());
            assertThat(seen[0].isOpen()).as("scope closed on return").isFalse();
            assertThat(result.getManager()).isSameAs(job);
            assertThat(result.getDevice()).isEqualTo(sample.getDevice());
            assertThat(result.toFloatArray()).containsExactly(1.5f, 2f, 2.5f, 3f);
            assertThat(job.getManagedArrays()).containsExactlyInAnyOrder(sample, result);
        }
    }

    @Test
    void noiseIsDrawnInTheScopeOnTheSamplesDeviceAndFreedWithIt() {
        NoiseSource counting = (shape, manager) -> manager.arange(0f, shape.size()).reshape(shape);
        try (NDManager job = NDManager.newBaseManager()) {
            NDArray sample = job.zeros(new Shape(1, 2, 2));
            NDArray[] drawn = new NDArray[1];
            NDArray result = StepScope.run(sample, scope -> {
                drawn[0] = StepScope.noiseLike(sample, counting, scope);
                assertThat(drawn[0].getDevice()).isEqualTo(sample.getDevice());
                assertThat(drawn[0].getManager()).isSameAs(scope);
                return sample.add(drawn[0].mul(2f));
            });
            assertThat(result.toFloatArray()).containsExactly(0f, 2f, 4f, 6f);
            assertThat(drawn[0].isReleased()).isTrue();
        }
    }
}
