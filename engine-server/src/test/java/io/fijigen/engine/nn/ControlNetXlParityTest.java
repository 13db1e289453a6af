package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import org.junit.jupiter.api.Test;

/**
 * {@code controlnetxl.down0..8} and {@code controlnetxl.mid}: tiny-controlnet-sdxl (made from
 * tiny-sdxl's UNet, text_time embedding included) on {@code unetxl.sample}, t = 500, the UNet's
 * text and added conditions, {@code controlnetxl.cond}, conditioning scale 0.8.
 */
class ControlNetXlParityTest {

    @Test
    void residualsAtScale08() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            ControlNetModel controlNet = ModelFolder.loadControlNet(ParityFixtures.model("tiny-controlnet-sdxl"),
                    session.manager, DataType.FLOAT32);
            AddedConditions added = new AddedConditions(session.golden("unetxl.text_embeds"),
                    session.golden("unetxl.time_ids"));
            UNetResiduals residuals = controlNet.forward(session.golden("unetxl.sample"), session.manager.create(500f),
                    session.golden("unetxl.ehs"), added, session.golden("controlnetxl.cond"), 0.8f, false);
            assertThat(residuals.down()).hasSize(9);
            for (int i = 0; i < 9; i++) {
                assertModuleClose("controlnetxl.down" + i, residuals.down().get(i),
                        session.golden("controlnetxl.down" + i));
            }
            assertModuleClose("controlnetxl.mid", residuals.mid(), session.golden("controlnetxl.mid"));
        }
    }
}
