package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.text.ClipTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The web UI's "Original" emphasis: z·w per token, rescaled by mean(z) / mean(z·w). */
class PromptEmphasisTest {

    /** The weights of "a (cat:1.5) on [a mat]" per token: BOS, a, cat, on, a, mat, EOS… */
    static float[] catOnAMatWeights() {
        float[] weights = new float[77];
        Arrays.fill(weights, 1f);
        weights[2] = 1.5f;
        weights[4] = (float) (1 / 1.1);
        weights[5] = (float) (1 / 1.1);
        return weights;
    }

    /** mean(z) = 3.5, z·w = [[1,2],[6,8],[5,6]] with mean 28/6, factor 3.5 / (28/6) = 0.75. */
    @Test
    void aSmallExampleByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 3, 2));
            NDArray emphasized = PromptEmphasis.apply(z, new float[] {1, 2, 1});
            assertThat(emphasized.getShape()).isEqualTo(new Shape(1, 3, 2));
            assertThat(emphasized.toFloatArray()).containsExactly(0.75f, 1.5f, 4.5f, 6f, 3.75f, 4.5f);
        }
    }

    /**
     * tiny-sd15's encoding of "a cat on a mat" shifted by 0.25 (its final layer norm has bias 0,
     * which leaves every token with mean 0; real encoders' biases do not), weighted as
     * "a (cat:1.5) on [a mat]", against the formula in double precision.
     */
    @Test
    void theTinyEncodersEncodingAgainstTheFormulaInDoublePrecision() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder folder = ParityFixtures.folder("tiny-sd15");
            ClipTokenizer tokenizer = ClipTokenizer.load(folder.component("tokenizer"));
            CLIPTextModel textEncoder = folder.textEncoder(manager, DataType.FLOAT32);
            long[] ids = tokenizer.encodePadded("a cat on a mat", 77);
            NDArray z = textEncoder.encode(manager.create(ids).reshape(1, 77), 1).add(0.25f);
            float[] weights = catOnAMatWeights();

            float[] values = z.toFloatArray();
            int width = values.length / 77;
            double sum = 0;
            double weightedSum = 0;
            for (int i = 0; i < values.length; i++) {
                sum += values[i];
                weightedSum += values[i] * (double) weights[i / width];
            }
            double factor = sum / weightedSum;
            float[] expected = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                expected[i] = (float) (values[i] * (double) weights[i / width] * factor);
            }
            NDArray reference = manager.create(expected, z.getShape());
            NDArray emphasized = PromptEmphasis.apply(z, weights);
            double diff = maxAbs(emphasized.sub(reference));
            double tolerance = 1e-5 * maxAbs(reference);
            System.out.printf("emphasis a (cat:1.5) on [a mat] + 0.25   max|diff| = %.3e (tolerance %.1e), factor %.6f%n",
                    diff, tolerance, factor);
            assertThat(factor).isBetween(0.9, 1.0);
            assertThat(diff).isLessThanOrEqualTo(tolerance);
        }
    }
}
