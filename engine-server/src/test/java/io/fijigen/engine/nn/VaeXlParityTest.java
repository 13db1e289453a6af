package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * tiny-sdxl's VAE (scaling 0.13025): {@code vaexl.enc_mean}, {@code enc_logvar} of {@code
 * vaexl.image}, {@code dec} of {@code vaexl.z}.
 */
class VaeXlParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @Test
    void encode() throws Exception {
        AutoencoderKL vae = ParityFixtures.folder("tiny-sdxl").vae(session.manager, DataType.FLOAT32);
        try (DiagonalGaussianDistribution posterior = vae.encode(session.golden("vaexl.image"))) {
            assertModuleClose("vaexl.enc_mean", posterior.mean(), session.golden("vaexl.enc_mean"));
            assertModuleClose("vaexl.enc_logvar", posterior.logvar(), session.golden("vaexl.enc_logvar"));
        }
    }

    @Test
    void decode() throws Exception {
        AutoencoderKL vae = ParityFixtures.folder("tiny-sdxl").vae(session.manager, DataType.FLOAT32);
        assertThat(vae.config().scalingFactor()).isEqualTo(0.13025);
        assertModuleClose("vaexl.dec", vae.decode(session.golden("vaexl.z")), session.golden("vaexl.dec"));
    }
}
