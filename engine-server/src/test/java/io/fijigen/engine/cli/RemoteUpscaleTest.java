package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.server.LoopbackEngineExtension;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen upscale --server}: the upscaler fixture run by a loopback engine server. */
class RemoteUpscaleTest {
    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    @TempDir
    Path dir;

    @Test
    void noiseLevel20ReproducesTheFixture() throws Exception {
        String goldens = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();
        Path tensor = dir.resolve("up.safetensors");
        Path png = dir.resolve("up.png");

        CliRun run = CliRun.of("upscale", "--server", SERVER.address(),
                "--model", "tiny-x4-upscaler", "--image", goldens + "#upscale.low_res",
                "--prompt", "a sharp photo", "--negative-prompt", "blurry",
                "--steps", "5", "--guidance", "9", "--seed", "25", "--noise-level", "20",
                "--latents", goldens + "#upscale.latents", "--out-tensor", tensor.toString());
        CliRun pngRun = CliRun.of("upscale", "--server", SERVER.address(),
                "--model", "tiny-x4-upscaler", "--image", goldens + "#upscale.low_res",
                "--steps", "2", "--seed", "25", "--out", png.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager,
                        ai.djl.ndarray.types.DataType.FLOAT32)) {
            // The server returns PNGs: within one grey level of the reference's float pixels.
            ParityFixtures.assertClose("remote pipe.upscale.nl20", written.get("images"),
                    session.golden("pipe.upscale.nl20"), 1 / 255.0);
        }
        assertThat(pngRun.exitCode()).as(pngRun.err()).isZero();
        assertThat(PngWriter.readParameters(png)).contains("Seed: 25,").contains("Size: 128x128")
                .contains("Model: tiny-x4-upscaler");
    }

    @Test
    void aNoiseLevelOutOfRangeIsTheServersInvalidArgument() {
        String goldens = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();
        CliRun run = CliRun.of("upscale", "--server", SERVER.address(),
                "--model", "tiny-x4-upscaler", "--image", goldens + "#upscale.low_res", "--noise-level", "400",
                "--out", dir.resolve("x.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: INVALID_ARGUMENT: noise_level: ");
    }
}
