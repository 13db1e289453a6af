package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code controlnet.down0..11} and {@code controlnet.mid}: tiny-controlnet-canny on {@code
 * unet.sample}, t = 500, {@code unet.ehs}, {@code controlnet.cond}, conditioning scale 0.7.
 */
class ControlNetParityTest {

    @Test
    void residualsAtScale07() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            Path dir = ParityFixtures.model("tiny-controlnet-canny");
            ControlNetModel controlNet;
            try (StateDict weights = StateDict.openComponent(dir, session.manager, DataType.FLOAT32)) {
                controlNet = new ControlNetModel(ControlNetConfig.read(dir.resolve("config.json")), weights);
            }
            UNetResiduals residuals = controlNet.forward(session.golden("unet.sample"), session.manager.create(500f),
                    session.golden("unet.ehs"), session.golden("controlnet.cond"), 0.7f, false);
            for (int i = 0; i < 12; i++) {
                assertModuleClose("controlnet.down" + i, residuals.down().get(i), session.golden("controlnet.down" + i));
            }
            assertModuleClose("controlnet.mid", residuals.mid(), session.golden("controlnet.mid"));
        }
    }
}
