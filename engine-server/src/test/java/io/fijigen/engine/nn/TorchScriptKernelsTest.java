package io.fijigen.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each TorchScript kernel against the plain ops it replaces, on random inputs. */
class TorchScriptKernelsTest {
    private static final double TOLERANCE = 1e-5;
    private final KernelPath before = KernelPath.selected();

    @AfterEach
    void restore() {
        KernelPath.select(before);
    }

    @Test
    void theModuleLoadsHere() {
        KernelPath.select(KernelPath.TORCHSCRIPT);
        assertThat(KernelPath.kernels()).isNotNull();
        KernelPath.select(KernelPath.PLAIN);
        assertThat(KernelPath.kernels()).isNull();
    }

    @Test
    void attentionSelfAndCross() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            NDArray q = manager.randomNormal(new Shape(2, 64, 32));
            NDArray context = manager.randomNormal(new Shape(2, 77, 32));
            assertSamePaths("self-attention", () -> Ops.attention(q, q, q, 4, null));
            assertSamePaths("cross-attention", () -> Ops.attention(q, context, context, 8, null));
        }
    }

    @Test
    void causallyMaskedAttention() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            NDArray x = manager.randomNormal(new Shape(1, 7, 16));
            float[] causal = new float[49];
            for (int row = 0; row < 7; row++) {
                for (int col = row + 1; col < 7; col++) {
                    causal[row * 7 + col] = -1e9f;
                }
            }
            NDArray mask = manager.create(causal, new Shape(1, 1, 7, 7));
            assertSamePaths("masked attention", () -> Ops.attention(x, x, x, 2, mask));
        }
    }

    @Test
    void groupNormWithAndWithoutSilu() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(2, 64, 8, 8)).mul(3f).add(1f);
            NDArray gamma = manager.randomNormal(new Shape(64));
            NDArray beta = manager.randomNormal(new Shape(64));
            assertSamePaths("group norm", () -> Ops.groupNorm(x, 32, gamma, beta, 1e-5));
            assertSamePaths("group norm + SiLU", () -> Ops.groupNormSilu(x, 32, gamma, beta, 1e-6));
        }
    }

    @Test
    void geglu() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray x = manager.randomNormal(new Shape(2, 10, 16));
            NDArray weight = manager.randomNormal(new Shape(128, 16)).mul(0.25f);
            NDArray bias = manager.randomNormal(new Shape(128));
            assertSamePaths("GEGLU", () -> Ops.geglu(x, weight, bias));
        }
    }

    /** Slicing by heads changes the memory, not the result: one head at a time equals all at once, mask too. */
    @Test
    void slicedPlainAttentionEqualsWhole() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray q = manager.randomNormal(new Shape(2, 40, 32));
            NDArray k = manager.randomNormal(new Shape(2, 24, 32));
            NDArray mask = manager.randomNormal(new Shape(2, 4, 40, 24));
            for (NDArray m : new NDArray[] {null, mask}) {
                NDArray whole = Ops.plainAttention(q, k, k, 4, m, Long.MAX_VALUE);
                // 2·4·40·24 floats = 30 KiB of scores: a 10 KiB budget makes slices of one head.
                NDArray sliced = Ops.plainAttention(q, k, k, 4, m, 10 << 10);
                assertThat(sliced.sub(whole).abs().max().getFloat()).isLessThan(1e-6f);
            }
        }
    }

    @Test
    void unknownPathIsRefusedByName() {
        assertThatThrownBy(() -> KernelPath.of("cuda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cuda'")
                .hasMessageContaining("torchscript or plain");
    }

    private static void assertSamePaths(String what, Supplier<NDArray> op) {
        KernelPath.select(KernelPath.TORCHSCRIPT);
        NDArray fused = op.get();
        KernelPath.select(KernelPath.PLAIN);
        NDArray plain = op.get();
        assertThat(fused.getShape()).isEqualTo(plain.getShape());
        double diff = fused.sub(plain).abs().max().getFloat();
        System.out.printf("kernel %-20s max|torchscript - plain| = %.3e%n", what, diff);
        assertThat(diff).as(what).isLessThan(TOLERANCE);
    }
}
