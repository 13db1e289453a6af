package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.RoiEncoder;
import ij.process.ShortProcessor;
import io.fijigen.engine.ParityFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code fijigen generate}: exit code 1, one line naming the value and the limit, no file written. */
class GenerateErrorsTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String err) {}

    private Result generate(String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--prompt", "a cat", "--out", dir.resolve("out.png").toString()));
        args.addAll(List.of(more));
        if (!args.contains("--steps")) {
            args.addAll(List.of("--steps", "2"));
        }
        StringWriter err = new StringWriter();
        var cli = FijigenCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute(args.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    private void assertFails(Result result, String... words) {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: ");
        for (String word : words) {
            assertThat(result.err()).contains(word);
        }
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    @Test
    void sizeNotAMultipleOf8() {
        assertFails(generate("--width", "500", "--height", "128"), "width: 500 is not a multiple of 8 (try 496 or 504)");
    }

    /** A 128×128 init image. */
    private static String image() {
        return ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.init_image";
    }

    @Test
    void outpaintWithANegativeSide() {
        assertFails(generate("--init-image", image(), "--outpaint", "32,-4,0,0"), "outpaint.top: -4 is outside 0..2048");
    }

    @Test
    void outpaintThatGrowsNoSide() {
        assertFails(generate("--init-image", image(), "--outpaint", "0,0,0,0"), "outpaint: every side is 0");
    }

    @Test
    void outpaintBeyondTheLargestSide() {
        assertFails(generate("--init-image", image(), "--outpaint", "0,2000,0,0"),
                "the grown image would be 128x2128, beyond the largest side 2048");
    }

    @Test
    void outpaintWithoutAnInitImage() {
        assertFails(generate("--outpaint", "8,0,0,0"), "outpaint: needs an init image");
    }

    @Test
    void outpaintWithASize() {
        assertFails(generate("--init-image", image(), "--outpaint", "8,0,0,0", "--width", "136"),
                "width: leave width and height 0 with outpaint");
    }

    @Test
    void outpaintWithAnUnknownFill() {
        assertFails(generate("--init-image", image(), "--outpaint", "8,0,0,0", "--outpaint-fill", "smear"),
                "unknown fill 'smear' (one of edge, noise, blur)");
    }

    @Test
    void outpaintWithThreeSides() {
        assertFails(generate("--init-image", image(), "--outpaint", "8,0,x"), "--outpaint takes L,T,R,B (four pixel"
                + " counts), got '8,0,x'");
    }

    @Test
    void maskOptionsWithoutMaskOrOutpaint() {
        assertFails(generate("--init-image", image(), "--mask-blur", "4"), "need --mask (inpainting) or --outpaint");
    }

    @Test
    void stepsBelowOne() {
        assertFails(generate("--steps", "0"), "steps: 0 is outside 1..1000");
    }

    @Test
    void promptWeightThatIsNotANumber() {
        assertFails(generate("--negative-prompt", "(blurry:1.2.3)"),
                "negative_prompt: weight '1.2.3' is not a number");
    }

    @Test
    void unknownPredictionType() {
        assertFails(generate("--prediction-type", "v"), "--prediction-type v is not epsilon or v_prediction");
    }

    @Test
    void predictionTypeForAFolder() {
        assertFails(generate("--prediction-type", "v_prediction"), "a prediction type is for single-file checkpoints",
                "scheduler_config.json");
    }

    @Test
    void unknownTimestepSpacing() {
        assertFails(generate("--timestep-spacing", "even"),
                "timestep_spacing: 'even' is not a spacing (use leading, linspace, trailing)");
    }

    @Test
    void etaOutsideItsRangeOrForASchedulerWithoutIt() {
        assertFails(generate("--scheduler", "tcd", "--eta", "1.5"), "eta: 1.5 is outside 0..1");
        assertFails(generate("--scheduler", "euler", "--eta", "0.3"), "eta: euler takes no eta (only ddim and tcd do)");
    }

    @Test
    void timestepSpacingForLcm() {
        assertFails(generate("--scheduler", "lcm", "--timestep-spacing", "trailing"),
                "timestep_spacing: lcm takes its timesteps from the schedule it was distilled on");
    }

    @Test
    void unknownScheduler() {
        assertFails(generate("--scheduler", "warp9"), "unknown scheduler 'warp9'", "ddim", "euler_a");
    }

    @Test
    void missingModelFolder() {
        StringWriter err = new StringWriter();
        var cli = FijigenCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("generate", "--model", dir.resolve("no-such-model").toString(), "--prompt", "a cat",
                "--out", dir.resolve("out.png").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no-such-model").contains("model folder not found");
    }

    @Test
    void strengthOutsideZeroToOne() {
        Path image = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--init-image", image + "#pipe.init_image", "--strength", "1.5"),
                "strength: 1.5 is outside (0, 1]");
        assertFails(generate("--init-image", image + "#pipe.init_image", "--strength", "0"),
                "strength: 0 is outside (0, 1]");
    }

    @Test
    void initImageThatFailsToDecode() throws Exception {
        Path broken = dir.resolve("broken.png");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0};
        Files.write(broken, png);
        assertFails(generate("--init-image", broken.toString(), "--strength", "0.5"), "broken.png", "corrupt or unreadable image");
    }

    @Test
    void initImageThatIsNotAnImage() throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "just text");
        assertFails(generate("--init-image", text.toString()), "notes.png", "not an image in a format this reader knows");
    }

    @Test
    void latentsOfTheWrongShape() {
        Path goldens = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--width", "256", "--height", "128", "--latents", goldens + "#pipe.latents"),
                "latents have shape [1, 4, 16, 16] but this request needs [1, 4, 16, 32]");
    }

    @Test
    void missingTensorInTheLatentsFile() {
        Path goldens = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--latents", goldens + "#no.such.tensor"), "no.such.tensor");
    }

    @Test
    void maskOfAnotherSizeThanTheImage() throws Exception {
        Path mask = dir.resolve("mask.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", mask.toFile());
        Path goldens = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--init-image", goldens + "#pipe.init_image", "--mask", mask.toString()),
                "mask is 64x64 but the image is 128x128");
    }

    @Test
    void emptyMask() throws Exception {
        Path mask = dir.resolve("black.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(128, 128, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", mask.toFile());
        Path goldens = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--init-image", goldens + "#pipe.init_image", "--mask", mask.toString()),
                "mask is empty");
    }

    @Test
    void maskWithoutAnInitImage() {
        Path goldens = ParityFixtures.ROOT.resolve("goldens.safetensors");
        assertFails(generate("--mask", goldens + "#pipe.mask"), "--mask " + goldens + "#pipe.mask: a mask needs an init"
                + " image");
    }

    @Test
    void controlImageThatFailsToDecode() throws Exception {
        Path broken = dir.resolve("edges.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3});
        assertFails(generate("--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(),
                "--control-image", broken.toString()), "edges.png", "corrupt or unreadable image");
    }

    @Test
    void controlNetWithoutAnImage() {
        assertFails(generate("--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString()),
                "controls[0].image: no control image and no init image to use as one");
    }

    @Test
    void missingRoiFile() {
        assertFails(generate("--width", "64", "--height", "64", "--controlnet",
                ParityFixtures.model("tiny-controlnet-canny").toString(), "--control-roi",
                dir.resolve("lines.roi").toString()), "--control-roi", "lines.roi: file not found");
    }

    @Test
    void corruptRoiFile() throws Exception {
        Path corrupt = dir.resolve("lines.roi");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertFails(generate("--width", "64", "--height", "64", "--controlnet",
                ParityFixtures.model("tiny-controlnet-canny").toString(), "--control-roi", corrupt.toString()),
                "--control-roi", "lines.roi is not an ImageJ ROI file");
    }

    @Test
    void roiWithNoLine() throws Exception {
        Path rectangle = dir.resolve("box.roi");
        RoiEncoder.save(new Roi(2, 2, 8, 8), rectangle.toString());
        assertFails(generate("--width", "64", "--height", "64", "--controlnet",
                ParityFixtures.model("tiny-controlnet-canny").toString(), "--control-roi", rectangle.toString()),
                "--control-roi", "box.roi: no line among the 1 selection");
    }

    @Test
    void roiWithoutAnImageSize() throws Exception {
        Path line = dir.resolve("line.roi");
        RoiEncoder.save(new Line(2, 2, 8, 8), line.toString());
        assertFails(generate("--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(),
                "--control-roi", line.toString()), "--control-roi needs the image size");
    }

    @Test
    void labelPastThePalette() {
        Path labels = dir.resolve("labels.tif");
        ShortProcessor values = new ShortProcessor(64, 64);
        values.set(3, 5, 151);
        new FileSaver(new ImagePlus("labels", values)).saveAsTiff(labels.toString());
        assertFails(generate("--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(),
                "--control-labels", labels.toString()), "--control-labels", "labels.tif: label 151 is past the"
                + " ade20k palette's 150 labels", "pixel (3, 5)");
    }

    @Test
    void missingControlNetFolder() {
        assertFails(generate("--controlnet", dir.resolve("no-controlnet").toString(), "--control-image",
                ParityFixtures.ROOT.resolve("goldens.safetensors") + "#canny.input_rgb_u8"),
                "no-controlnet", "ControlNet folder not found");
    }

    @Test
    void fp16OnTheCpu() {
        assertFails(generate("--dtype", "fp16"), "--dtype fp16 needs --device gpu");
    }
}
