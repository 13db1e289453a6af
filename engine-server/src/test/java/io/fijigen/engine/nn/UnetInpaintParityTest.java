package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.Test;

/** {@code unet_inpaint.out_t500}: the 9-channel inpainting UNet on {@code unet_inpaint.sample}. */
class UnetInpaintParityTest {

    @Test
    void t500() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            UNet2DConditionModel unet = ParityFixtures.folder("tiny-sd15-inpaint").unet(session.manager, DataType.FLOAT32);
            NDArray out = unet.forward(session.golden("unet_inpaint.sample"), session.manager.create(500f),
                    session.golden("unet.ehs"));
            assertModuleClose("unet_inpaint.out_t500", out, session.golden("unet_inpaint.out_t500"));
        }
    }
}
