package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code safety.clip_input}: the tiny safety checker's feature extractor on {@code safety.image_u8_hwc}. */
class ClipImageProcessorParityTest {
    /** The README's preprocessing tolerance: two grey levels after normalisation. */
    private static final double TOLERANCE = 0.035;

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @Test
    void clipInput() throws Exception {
        ClipImageProcessor processor = ModelFolder.featureExtractor(ParityFixtures.model("tiny-safety-checker"));
        NDArray u8 = session.golden("safety.image_u8_hwc");
        long[] shape = u8.getShape().getShape();
        ImagePixels image = new ImagePixels(u8.toByteArray(), (int) shape[1], (int) shape[2], 3);

        HostTensor ours = processor.preprocess(image);

        double diff = ParityFixtures.assertClose("safety.clip_input", ours.toNDArray(session.manager),
                session.golden("safety.clip_input"), TOLERANCE);
        // The 8-bit resampling is reproduced bit for bit: what is left is float rounding.
        assertThat(diff).isLessThan(1e-5);
    }

    @Test
    void theFloatEntryPointRoundsAsNumpyToPilAndGivesTheSameInput() throws Exception {
        ClipImageProcessor processor = ModelFolder.featureExtractor(ParityFixtures.model("tiny-safety-checker"));
        NDArray u8 = session.golden("safety.image_u8_hwc");
        HostTensor floats = HostTensor.of(u8.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).div(255f));

        HostTensor ours = processor.preprocess(floats);

        ParityFixtures.assertClose("safety.clip_input (from [0, 1] floats)", ours.toNDArray(session.manager),
                session.golden("safety.clip_input"), TOLERANCE);
    }
}
