package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.RoiEncoder;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.client.LabelPalette;
import io.fijigen.proto.client.LineScribble;
import io.fijigen.proto.v1.GenerateRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --control-roi} and {@code --control-labels}: the request's control images are the shared
 * renderers' pixels, and a run with them generates.
 */
class ControlSourceOptionsTest {
    @TempDir
    Path dir;

    private static final Line LINE = new Line(4, 10, 40, 10);
    private static final Roi POLYLINE = new PolygonRoi(new float[] {8, 30, 30}, new float[] {20, 20, 50}, Roi.POLYLINE);

    /** Two units: lines from a ROI Manager zip (a rectangle in it skipped) at width 5, and ADE20K labels. */
    @Test
    void twoUnitsCarryTheRenderedControlImages() throws Exception {
        Path zip = roiManagerZip(LINE, new Roi(2, 2, 10, 10), POLYLINE);
        ShortProcessor labels = new ShortProcessor(64, 48);
        labels.setValue(150);
        labels.fillRect(0, 0, 32, 48);
        labels.set(40, 40, 7);
        Path labelFile = dir.resolve("labels.tif");
        assertThat(new FileSaver(new ImagePlus("labels", labels)).saveAsTiff(labelFile.toString())).isTrue();

        GenerateRequest request = request("--width", "64", "--height", "48",
                "--controlnet", "scribble", "--control-roi", zip.toString(), "--control-line-width", "5",
                "--controlnet", "seg", "--control-labels", labelFile.toString(), "--palette", "ade20k");

        assertThat(request.getControlsCount()).isEqualTo(2);
        assertThat(request.getControls(0).getModelId()).isEqualTo("scribble");
        assertThat(pixels(request.getControls(0).getImage().toByteArray()))
                .containsExactly(rgb(LineScribble.render(List.of(LINE, POLYLINE), 64, 48, 5)));
        int[] seg = pixels(request.getControls(1).getImage().toByteArray());
        assertThat(seg).containsExactly(rgb(LabelPalette.ADE20K.render(labels)));
        assertThat(seg[0]).isEqualTo(92 << 16 | 255);
        assertThat(seg[40 * 64 + 40]).isEqualTo(LabelPalette.ADE20K.rgb(7));
        assertThat(seg[63]).isZero();
    }

    /** Without --width and --height the lines are drawn at the init image's size. */
    @Test
    void linesTakeTheInitImagesSize() throws Exception {
        Path roi = dir.resolve("line.roi");
        RoiEncoder.save(LINE, roi.toString());
        BufferedImage init = new BufferedImage(56, 40, BufferedImage.TYPE_INT_RGB);
        Path initFile = dir.resolve("init.png");
        ImageIO.write(init, "png", initFile.toFile());

        GenerateRequest request = request("--init-image", initFile.toString(),
                "--controlnet", "scribble", "--control-roi", roi.toString());

        BufferedImage control = ImageIO.read(new ByteArrayInputStream(request.getControls(0).getImage().toByteArray()));
        assertThat(control.getWidth()).isEqualTo(56);
        assertThat(control.getHeight()).isEqualTo(40);
        assertThat(pixels(request.getControls(0).getImage().toByteArray()))
                .containsExactly(rgb(LineScribble.render(List.of(LINE), 56, 40, LineScribble.DEFAULT_WIDTH)));
    }

    @Test
    void aRunGuidedByLinesGenerates() throws Exception {
        Path roi = dir.resolve("line.roi");
        RoiEncoder.save(LINE, roi.toString());
        Path out = dir.resolve("out.png");

        CliRun run = CliRun.of("generate", "--model", ParityFixtures.model("tiny-sd15").toString(), "--prompt", "a cat",
                "--steps", "2", "--width", "64", "--height", "64", "--out", out.toString(),
                "--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(), "--control-roi",
                roi.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(64);
    }

    private static GenerateRequest request(String... controlArgs) throws IOException {
        CommandLine cli = FijigenCli.commandLine();
        List<String> args = new ArrayList<>(List.of("generate", "--model", "tiny", "--prompt", "a cat",
                "--out", "out.png"));
        args.addAll(List.of(controlArgs));
        cli.parseArgs(args.toArray(String[]::new));
        GenerateCommand command = cli.getSubcommands().get("generate").getCommand();
        return ProtoRequests.generate(command, id -> id);
    }

    private Path roiManagerZip(Roi... rois) throws IOException {
        Path zip = dir.resolve("RoiSet.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (int i = 0; i < rois.length; i++) {
                out.putNextEntry(new ZipEntry("roi-" + i + ".roi"));
                out.write(RoiEncoder.saveAsByteArray(rois[i]));
                out.closeEntry();
            }
        }
        return zip;
    }

    private static int[] pixels(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        return rgb;
    }

    private static int[] rgb(ColorProcessor image) {
        int[] rgb = ((int[]) image.getPixels()).clone();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        return rgb;
    }
}
