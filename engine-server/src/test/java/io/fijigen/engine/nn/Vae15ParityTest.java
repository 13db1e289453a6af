package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tiny-sd15's 4-level VAE: {@code vae15.enc_mean}, {@code enc_logvar} of {@code vae15.image}, {@code dec} of {@code vae15.z}. */
class Vae15ParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @Test
    void encode() throws Exception {
        AutoencoderKL vae = ParityFixtures.folder("tiny-sd15").vae(session.manager, DataType.FLOAT32);
        try (DiagonalGaussianDistribution posterior = vae.encode(session.golden("vae15.image"))) {
            assertModuleClose("vae15.enc_mean", posterior.mean(), session.golden("vae15.enc_mean"));
            assertModuleClose("vae15.enc_logvar", posterior.logvar(), session.golden("vae15.enc_logvar"));
        }
    }

    @Test
    void decode() throws Exception {
        AutoencoderKL vae = ParityFixtures.folder("tiny-sd15").vae(session.manager, DataType.FLOAT32);
        assertModuleClose("vae15.dec", vae.decode(session.golden("vae15.z")), session.golden("vae15.dec"));
    }
}
