package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tiny-sd2's UNet: per-level head counts, linear projections, upcast attention, on {@code
 * unet.sample} and {@code unet.ehs}.
 */
class Unet2ParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest(name = "t{0}")
    @ValueSource(ints = {999, 500, 1})
    void output(int t) throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sd2").unet(session.manager, DataType.FLOAT32);
        NDArray out = unet.forward(session.golden("unet.sample"), session.manager.create((float) t),
                session.golden("unet.ehs"));
        assertModuleClose("unet2.out_t" + t, out, session.golden("unet2.out_t" + t));
    }
}
