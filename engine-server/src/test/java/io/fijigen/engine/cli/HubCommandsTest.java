package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.hub.LoopbackHub;
import io.fijigen.engine.image.PngWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen download}, {@code models} and {@code generate --model owner/name} against a loopback hub. */
class HubCommandsTest {
    static final String REPO = "org/tiny-sd15";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;
    LoopbackHub hub;
    Map<String, String> environment;

    @BeforeEach
    void startHub() throws Exception {
        hub = new LoopbackHub().serve(REPO, "main", COMMIT, ParityFixtures.model("tiny-sd15"), Map.of());
        environment = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", dir.resolve("hf").toString());
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private CliRun fijigen(String... args) {
        return CliRun.withEnvironment(environment, args);
    }

    @Test
    void downloadPrintsTheSnapshotUnderHfHomeAndModelsChecksIt() {
        CliRun download = fijigen("download", REPO);

        Path snapshot = dir.resolve("hf/hub/models--org--tiny-sd15/snapshots").resolve(COMMIT);
        assertThat(download.exitCode()).as(download.err()).isZero();
        assertThat(download.out().strip()).isEqualTo(snapshot.toString());
        // Not a terminal: no progress bar in the captured stderr.
        assertThat(download.err()).doesNotContain("\r");

        CliRun list = fijigen("models");
        assertThat(list.exitCode()).as(list.out()).isZero();
        assertThat(list.out()).contains("hub cache " + dir.resolve("hf/hub") + ": 1 repos")
                .contains(REPO + " main (" + COMMIT + "): pipeline StableDiffusionPipeline, sd15,"
                        + " 5,455,883 parameters");

        CliRun one = fijigen("models", REPO);
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out()).containsPattern("family +sd15 \\(Stable Diffusion 1.x\\), native size 128×128")
                .containsPattern("unet +UNet2DConditionModel +2,446,788 parameters");
    }

    @Test
    void modelsReportsASnapshotThatDoesNotLoad() throws Exception {
        assertThat(fijigen("download", REPO).exitCode()).isZero();
        Path unet = dir.resolve("hf/hub/models--org--tiny-sd15/snapshots").resolve(COMMIT).resolve("unet");
        Files.delete(unet.resolve("diffusion_pytorch_model.safetensors"));
        Files.delete(unet.resolve("config.json"));
        Files.delete(unet);

        CliRun list = fijigen("models");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.out()).contains(REPO + " main (" + COMMIT + "): does not load:")
                .contains("lists 'unet' but its folder is missing").contains("fijigen download " + REPO + " fetches what is missing");
    }

    @Test
    void offlineWithoutTheRepoInTheCacheIsAClearError() {
        CliRun download = fijigen("download", REPO, "--offline");
        assertThat(download.exitCode()).isEqualTo(1);
        assertThat(download.err()).contains("error: " + REPO + " at revision main is not in the hub cache")
                .contains("offline mode is on");
        assertThat(hub.requests()).isEmpty();

        CliRun models = fijigen("models", REPO, "--revision", "v1");
        assertThat(models.exitCode()).isEqualTo(1);
        assertThat(models.err()).contains("at revision v1 is not in the hub cache")
                .contains("fijigen download " + REPO + " --revision v1");
    }

    @Test
    void aValueThatIsNoRepoIdIsRefused() {
        CliRun download = fijigen("download", "not/a/repo");
        assertThat(download.exitCode()).isEqualTo(1);
        assertThat(download.err()).contains("'not/a/repo' is not a hub repo id: give owner/name");
    }

    @Test
    void generateLoadsAHubModelDownloadingItFirst() throws Exception {
        Path png = dir.resolve("city.png");
        CliRun run = fijigen("generate", "--model", REPO, "--prompt", "a city", "--steps", "2",
                "--width", "64", "--height", "64", "--seed", "1", "--out", png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(png).exists();
        assertThat(run.out()).contains("wrote " + png);
        // Named by its repo id, as diffusers names it, not by its snapshot's commit.
        assertThat(PngWriter.readParameters(png)).endsWith("Model: " + REPO);

        hub.clearRequests();
        CliRun offline = fijigen("generate", "--model", REPO, "--offline", "--prompt", "a city", "--steps", "1",
                "--width", "64", "--height", "64", "--out", dir.resolve("again.png").toString());
        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void revisionIsRefusedForALocalFolder() {
        CliRun run = fijigen("generate", "--model", ParityFixtures.model("tiny-sd15").toString(), "--revision", "v1",
                "--prompt", "a city", "--out", dir.resolve("x.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--revision and --offline apply to a hub repo id");
    }

    @Test
    void theDownloadBarShowsMebibytesAndTheFileOnALineOfItsOwn() {
        StringWriter text = new StringWriter();
        try (ProgressBar bar = ProgressBar.drawingTo(new PrintWriter(text))) {
            bar.onBytes("unet/diffusion_pytorch_model.safetensors", 0, 4 << 20);
            bar.onBytes("unet/diffusion_pytorch_model.safetensors", 2 << 20, 4 << 20);
            bar.onBytes("unet/diffusion_pytorch_model.safetensors", 2 << 20, 4 << 20);
            bar.onBytes("vae/config.json", 765, 765);
        }
        assertThat(text.toString()).isEqualTo(
                "\r[                              ] 0.0/4.0 MiB unet/diffusion_pytorch_model.safetensors"
                + "\r[###############               ] 2.0/4.0 MiB unet/diffusion_pytorch_model.safetensors"
                + System.lineSeparator()
                + "\r[##############################] 0.0/0.0 MiB vae/config.json" + System.lineSeparator());
    }
}
