package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen generate --hires-*}: the hires fix is its two passes, and a user who runs them by
 * hand through the command line (float results kept as {@code --out-tensor} files) gets the same
 * values, to the bit.
 */
class HiresFixCommandTest {
    @TempDir
    Path dir;

    /** A 64×48 txt2img on tiny-sd15 with seed 7, written as FILE.png and FILE.safetensors. */
    private String[] generate(String file, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--prompt", "a lighthouse at dusk", "--negative-prompt", "blurry", "--steps", "4", "--guidance", "7.5",
                "--scheduler", "ddim", "--seed", "7",
                "--out", dir.resolve(file + ".png").toString(), "--out-tensor", tensor(file)));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private String tensor(String file) {
        return dir.resolve(file + ".safetensors").toString();
    }

    private static void run(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void lanczosHiresFixEqualsTheTwoPassesRunByHand() throws Exception {
        run(generate("hires", "--width", "64", "--height", "48", "--hires-scale", "2", "--hires-upscaler", "lanczos"));

        run(generate("first", "--width", "64", "--height", "48"));
        run("upscale", "--image", tensor("first") + "#images", "--factor", "2", "--out-tensor", tensor("enlarged"));
        run(generate("second", "--init-image", tensor("enlarged") + "#images", "--strength", "0.7"));

        float[] hires = images("hires", 96, 128);
        float[] byHand = images("second", 96, 128);
        System.out.println("hires fix (lanczos) vs two passes by hand: max |diff| " + maxDifference(hires, byHand));
        assertThat(hires).containsExactly(byHand);
        assertThat(PngWriter.readParameters(dir.resolve("hires.png"))).isEqualTo("a lighthouse at dusk\n"
                + "Negative prompt: blurry\n"
                + "Steps: 4, Sampler: DDIM, CFG scale: 7.5, Seed: 7, Size: 64x48, Model: tiny-sd15,"
                + " Denoising strength: 0.7, Hires upscale: 2, Hires upscaler: Lanczos");
    }

    @Test
    void latentHiresFixRunsTheGivenStepsAtTheLargerSize() throws Exception {
        run(generate("latent", "--width", "64", "--height", "48", "--hires-scale", "1.5", "--hires-steps", "6"));
        run(generate("nearest", "--width", "64", "--height", "48", "--hires-scale", "1.5", "--hires-steps", "6",
                "--hires-upscaler", "latent-nearest"));

        // 64 × 1.5 = 96, 48 × 1.5 = 72: both multiples of 8.
        float[] bilinear = images("latent", 72, 96);
        float[] nearest = images("nearest", 72, 96);
        assertThat(maxDifference(bilinear, nearest)).isGreaterThan(1e-3);
        assertThat(PngWriter.readParameters(dir.resolve("latent.png"))).endsWith("Size: 64x48, Model: tiny-sd15,"
                + " Denoising strength: 0.7, Hires upscale: 1.5, Hires steps: 6, Hires upscaler: Latent");
        assertThat(PngWriter.readParameters(dir.resolve("nearest.png"))).endsWith("Hires upscaler: Latent (nearest)");
    }

    @Test
    void refusalsNameTheOptionsValueAndItsLimit() {
        String[][] cases = {
            {"--hires-scale", "1"},
            {"--hires-scale", "2", "--hires-strength", "1.5"},
            {"--hires-scale", "2", "--hires-upscaler", "bicubic"},
            {"--hires-scale", "2", "--hires-upscaler", ParityFixtures.model("tiny-sd2").toString()},
            {"--hires-scale", "2", "--init-image", ParityFixtures.ROOT.resolve("goldens.safetensors")
                    + "#pipe.init_image"}};
        String[] messages = {
            "error: hires.scale: 1 is outside (1, 8]",
            "error: hires.strength: 1.5 is outside (0, 1]",
            "error: --hires-upscaler bicubic: neither lanczos, latent nor latent-nearest, nor an x4 upscaler folder",
            "error: hires.upscaler: model 'tiny-sd2' (sd2) is not an upscaler",
            "error: hires: the hires fix is for txt2img"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of(generate("refused", "--width", "64", "--height", "48")));
            args.addAll(List.of(cases[i]));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).startsWith(messages[i]);
            assertThat(dir.resolve("refused.png")).doesNotExist();
        }
    }

    /** The images of FILE.safetensors, checked to be one of height × width. */
    private float[] images(String file, int height, int width) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                StateDict tensors = StateDict.open(List.of(Path.of(tensor(file))), manager, DataType.FLOAT32)) {
            NDArray images = tensors.get("images");
            assertThat(images.getShape().getShape()).containsExactly(1, height, width, 3);
            return images.toFloatArray();
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
