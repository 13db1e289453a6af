package io.fijigen.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
            assertSamePaths("self-attention", () -> Ops.attention(q, q, q, 4, null, true));
            assertSamePaths("cross-attention", () -> Ops.attention(q, context, context, 8, null, false));
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
            assertSamePaths("masked attention", () -> Ops.attention(x, x, x, 2, mask, false));
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
                NDArray whole = Ops.plainAttention(q, k, k, 4, m, true, Long.MAX_VALUE);
                // 2·4·40·24 floats = 30 KiB of scores: a 10 KiB budget makes slices of one head.
                NDArray sliced = Ops.plainAttention(q, k, k, 4, m, true, 10 << 10);
                assertThat(sliced.sub(whole).abs().max().getFloat()).isLessThan(1e-6f);
            }
        }
    }

    /**
     * fp16 inputs: with upcast the result is float32 attention rounded to fp16, bit for bit; without,
     * it is computed in fp16 (what the flash kernels do on a GPU), close to it but rounded on the way.
     * Both paths agree on both.
     */
    @Test
    void halfPrecisionAttentionUpcastsOnlyWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            NDArray q = manager.randomNormal(new Shape(2, 64, 32)).mul(2f).toType(DataType.FLOAT16, false);
            NDArray k = manager.randomNormal(new Shape(2, 77, 32)).mul(2f).toType(DataType.FLOAT16, false);
            for (KernelPath path : KernelPath.values()) {
                KernelPath.select(path);
                NDArray upcast = Ops.attention(q, k, k, 4, null, true);
                NDArray half = Ops.attention(q, k, k, 4, null, false);
                NDArray reference = Ops.attention(q.toType(DataType.FLOAT32, false), k.toType(DataType.FLOAT32, false),
                        k.toType(DataType.FLOAT32, false), 4, null, false);
                assertThat(upcast.getDataType()).as(path.id()).isEqualTo(DataType.FLOAT16);
                assertThat(half.getDataType()).as(path.id()).isEqualTo(DataType.FLOAT16);
                assertThat(upcast.toType(DataType.FLOAT32, false).toFloatArray()).as(path.id())
                        .containsExactly(reference.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false)
                                .toFloatArray());
                double halfError = half.toType(DataType.FLOAT32, false).sub(reference).abs().max().getFloat();
                System.out.printf("fp16 attention (%s) without upcast: max error %.3e%n", path.id(), halfError);
                assertThat(halfError).as(path.id()).isGreaterThan(0).isLessThan(1e-2);
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
