package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tiny-sd15's UNet on {@code unet.sample} and {@code unet.ehs}. */
class Unet15ParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest(name = "t{0}")
    @ValueSource(ints = {999, 500, 1})
    void output(int t) throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sd15").unet(session.manager, DataType.FLOAT32);
        NDArray out = unet.forward(session.golden("unet.sample"), session.manager.create((float) t),
                session.golden("unet.ehs"));
        assertModuleClose("unet15.out_t" + t, out, session.golden("unet15.out_t" + t));
    }

    /** {@code controlnet.unet15_out_t500}: the same UNet with the fixture's ControlNet residuals added. */
    @Test
    void controlNetResidualsT500() throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sd15").unet(session.manager, DataType.FLOAT32);
        List<NDArray> down = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            down.add(session.golden("controlnet.down" + i));
        }
        NDArray out = unet.forward(session.golden("unet.sample"), session.manager.create(500f),
                session.golden("unet.ehs"), null, new UNetResiduals(down, session.golden("controlnet.mid")));
        assertModuleClose("controlnet.unet15_out_t500", out, session.golden("controlnet.unet15_out_t500"));
    }
}
