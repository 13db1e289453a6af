package io.fijigen.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#scale}: x times a factor held as a host scalar, which leaves nothing behind but the
 * product, in x's manager, of x's type (a 0-dim float32 factor does not widen fp16).
 */
class OpsTest {

    @Test
    void productLandsInTheInputsManagerAndTheScalarIsFreed() {
        try (NDManager job = NDManager.newBaseManager(); NDManager step = job.newSubManager()) {
            NDArray x = step.create(new float[] {1, -2, 0.5f, 4}, new Shape(2, 2));
            NDArray scaled = Ops.scale(x, 0.25f);
            assertThat(scaled.toFloatArray()).containsExactly(0.25f, -0.5f, 0.125f, 1f);
            assertThat(scaled.getManager()).isSameAs(step);
            assertThat(step.getManagedArrays()).containsExactlyInAnyOrder(x, scaled);
        }
    }

    @Test
    void halfPrecisionStaysHalf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3}).toType(DataType.FLOAT16, false);
            NDArray scaled = Ops.scale(x, 0.5f);
            assertThat(scaled.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(scaled.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(0.5f, 1f, 1.5f);
        }
    }
}
