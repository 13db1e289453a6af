package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.Test;

/**
 * {@code unetup.out_t500_nl20}: the x4 upscaler's 7-channel UNet (class labels for the noise
 * level, only-cross-attention levels) on {@code unetup.sample} with class labels [20, 20].
 */
class UnetUpscalerParityTest {

    @Test
    void t500NoiseLevel20() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            UNet2DConditionModel unet = ParityFixtures.folder("tiny-x4-upscaler").unet(session.manager, DataType.FLOAT32);
            NDArray out = unet.forward(session.golden("unetup.sample"), session.manager.create(500f),
                    session.golden("unet.ehs"), session.manager.create(new long[] {20, 20}), null);
            assertModuleClose("unetup.out_t500_nl20", out, session.golden("unetup.out_t500_nl20"));
        }
    }
}
