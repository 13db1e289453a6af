package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.Test;

/** {@code vaeup.dec}: the x4 upscaler's 3-level VAE decoding {@code vaeup.z}. */
class VaeUpscalerParityTest {

    @Test
    void decode() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            AutoencoderKL vae = ParityFixtures.folder("tiny-x4-upscaler").vae(session.manager, DataType.FLOAT32);
            assertModuleClose("vaeup.dec", vae.decode(session.golden("vaeup.z")), session.golden("vaeup.dec"));
        }
    }
}
