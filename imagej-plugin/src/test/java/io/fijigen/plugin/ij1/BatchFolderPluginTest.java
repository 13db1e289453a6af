package io.fijigen.plugin.ij1;

import static io.fijigen.plugin.ij1.MacroCommandsTest.printed;
import static io.fijigen.plugin.ij1.MacroCommandsTest.runMacro;
import static org.assertj.core.api.Assertions.assertThat;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import io.fijigen.plugin.BatchFolder;
import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.client.Settings;
import io.fijigen.plugin.layers.GeneratedPixels;
import io.fijigen.plugin.layers.Layers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch Folder driven as a macro drives it, headless, on folders of real image files and a loopback
 * engine: results, the CSV, resuming, failed files and a wrong folder.
 */
class BatchFolderPluginTest extends LoopbackServerTestBase {
    @TempDir
    Path root;

    @BeforeAll
    static void saveSettings() {
        Settings.save(server.connection().withTimeout(120));
    }

    /** 16-bit, 64 × 48, calibrated: pixels 0.5 µm. */
    private static ImagePlus calibrated16Bit() {
        ImagePlus imp = MacroCommandsTest.sixteenBit();
        imp.getCalibration().pixelWidth = 0.5;
        imp.getCalibration().pixelHeight = 0.5;
        imp.getCalibration().setUnit("µm");
        return imp;
    }

    @Test
    void upscalesEveryImageAndASecondRunMakesOnlyTheResultDeleted() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        IJ.saveAsTiff(calibrated16Bit(), in.resolve("a.tif").toString());
        new FileSaver(TestImages.gradient(64, 48)).saveAsPng(in.resolve("b.png").toString());
        new FileSaver(TestImages.square(64, 48)).saveAsJpeg(in.resolve("c.jpg").toString());
        Path out = root.resolve("out");
        String line = "input=[" + in + "] output=[" + out + "] command=[Upscale x4...] prompt=[] "
                + "model=tiny-x4-upscaler steps=2 seed=9";

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, line));

        assertThat(log).contains("fijigen Batch Folder: 3 done, 0 failed, 0 skipped (their results exist); results"
                + " and fijigen-batch.csv in " + out);
        ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
        assertThat(a.getBitDepth()).isEqualTo(16);
        assertThat(a.getWidth()).isEqualTo(256);
        assertThat(a.getHeight()).isEqualTo(192);
        assertThat(a.getCalibration().pixelWidth).isEqualTo(0.125);
        assertThat(a.getCalibration().getUnit()).isEqualTo("µm");
        assertThat(a.getInfoProperty()).contains("Seed: 9").contains("Normalisation: display range = 1000.0 to 3000.0")
                .contains("Macro: run(\"Batch Folder...\", \"input=[" + in + "]");
        assertThat(a.getProp("fijigen.request")).contains("model_id: \"tiny-x4-upscaler\"");
        // The PNG is RGB; ImageJ opens a JPEG whose pixels are all grey as 8-bit.
        for (Map.Entry<String, Integer> bitDepth : Map.of("b.tif", 24, "c.tif", 8).entrySet()) {
            ImagePlus result = IJ.openImage(out.resolve(bitDepth.getKey()).toString());
            assertThat(result.getBitDepth()).as(bitDepth.getKey()).isEqualTo(bitDepth.getValue());
            assertThat(result.getWidth()).as(bitDepth.getKey()).isEqualTo(256);
            assertThat(result.getHeight()).as(bitDepth.getKey()).isEqualTo(192);
        }
        List<List<String>> rows = TestImages.batchCsv(out);
        assertThat(rows.get(0)).isEqualTo(BatchFolder.COLUMNS);
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(0) + " → " + row.get(1) + ", seed "
                + row.get(2)).containsExactly("a.tif → a.tif, seed 9", "b.png → b.tif, seed 9",
                        "c.jpg → c.tif, seed 9");
        assertThat(rows.get(1).get(4)).contains("Seed: 9").contains("Normalisation: display range = 1000.0 to 3000.0");

        FileTime before = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(out.resolve("a.tif"), before);
        Files.setLastModifiedTime(out.resolve("c.tif"), before);
        Files.delete(out.resolve("b.tif"));

        log = printed(() -> runMacro(BatchFolderPlugin.class, null, line));

        assertThat(log).contains("fijigen Batch Folder: 1 done, 0 failed, 2 skipped");
        assertThat(IJ.openImage(out.resolve("b.tif").toString()).getWidth()).isEqualTo(256);
        assertThat(Files.getLastModifiedTime(out.resolve("a.tif"))).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(out.resolve("c.tif"))).isEqualTo(before);
        rows = TestImages.batchCsv(out);
        assertThat(rows).hasSize(4);
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(0))
                .containsExactly("a.tif", "c.jpg", "b.png");
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.tif", "b.tif", "c.tif", BatchFolder.CSV);
        }
    }

    /** Inpaint Selection repaints each file's own selection: a file without one, or no image at all, fails alone. */
    @Test
    void aFileThatFailsIsNamedInTheLogAndTheOthersAreDone() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        ImagePlus cell = TestImages.gradient(64, 48);
        cell.setRoi(new OvalRoi(20, 16, 16, 12));
        IJ.saveAsTiff(cell, in.resolve("cell.tif").toString());
        IJ.saveAsTiff(TestImages.gradient(64, 48), in.resolve("empty.tif").toString());
        Files.writeString(in.resolve("broken.png"), "not a PNG");
        Path out = root.resolve("out");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + in + "] output=[" + out
                + "] command=[Inpaint Selection...] model=tiny-sd15-inpaint prompt=[a cell] steps=2 seed=5 mask=2 "
                + "padding=8"));

        assertThat(log).contains("fijigen Batch Folder: broken.png: ImageJ cannot open it")
                .contains("fijigen Batch Folder: empty.tif: Inpaint Selection needs an area selection")
                .contains("fijigen Batch Folder: 1 done, 2 failed, 0 skipped");
        ImagePlus result = IJ.openImage(out.resolve("cell.tif").toString());
        ImagePlus source = IJ.openImage(in.resolve("cell.tif").toString());
        // The layer is burned in; the TIFF keeps the selection of the pixels it generated.
        assertThat(Layers.of(result)).isEmpty();
        assertThat(GeneratedPixels.of(result)).singleElement().satisfies(generated -> {
            assertThat(generated.contains(28, 22)).isTrue();
            assertThat(generated.contains(2, 2)).isFalse();
        });
        assertThat(result.getProcessor().get(28, 22)).as("inside the selection").isNotEqualTo(
                source.getProcessor().get(28, 22));
        assertThat(result.getProcessor().get(2, 2)).as("far from it").isEqualTo(source.getProcessor().get(2, 2));
        assertThat(result.getProp("fijigen.parameters")).startsWith("a cell\n").contains("Seed: 5");
        assertThat(out.resolve("empty.tif")).doesNotExist();
        assertThat(out.resolve("broken.tif")).doesNotExist();
        assertThat(TestImages.batchCsv(out)).extracting(row -> row.get(0)).containsExactly("file", "cell.tif");
    }

    /** img2img over both slices of a 16-bit stack: a 16-bit stack with a layer burned into each slice. */
    @Test
    void img2imgOverEveryPlaneBurnsALayerIntoEachSlice() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        ImageStack stack = new ImageStack(64, 48);
        stack.addSlice(MacroCommandsTest.sixteenBit().getProcessor());
        ImageProcessor brighter = MacroCommandsTest.sixteenBit().getProcessor();
        brighter.add(300);
        stack.addSlice(brighter);
        ImagePlus source = new ImagePlus("stack", stack);
        source.setCalibration(calibrated16Bit().getCalibration());
        source.setDisplayRange(1000, 3000);
        IJ.saveAsTiff(source, in.resolve("stack.tif").toString());
        Path out = root.resolve("out");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + in + "] output=[" + out
                + "] command=[Generate...] model=tiny-sd15 prompt=[cells] steps=2 seed=3 strength=1 "
                + "process=[all slices] seeds=[seed + index]"));

        assertThat(log).contains("1 done, 0 failed, 0 skipped");
        ImagePlus result = IJ.openImage(out.resolve("stack.tif").toString());
        assertThat(result.getBitDepth()).isEqualTo(16);
        assertThat(result.getStackSize()).isEqualTo(2);
        assertThat(result.getCalibration().pixelWidth).isEqualTo(0.5);
        for (int slice = 1; slice <= 2; slice++) {
            assertThat((short[]) result.getStack().getPixels(slice)).as("slice %d", slice)
                    .isNotEqualTo((short[]) stack.getPixels(slice));
        }
        assertThat(result.getInfoProperty()).contains("[fijigen] cells · seed 3")
                .contains("[fijigen] cells · seed 4");
        assertThat(TestImages.batchCsv(out).get(1)).startsWith("stack.tif", "stack.tif", "3");
    }

    /** Expand Canvas grows each image by its sides; beyond overlap 8 + feather 4 the pixels are the input's. */
    @Test
    void expandCanvasGrowsEveryImageAndKeepsItsPixelsBeyondTheFeather() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        Map<String, ImagePlus> sources = Map.of("a.png", TestImages.gradient(64, 48), "b.png",
                TestImages.square(64, 48));
        for (Map.Entry<String, ImagePlus> source : sources.entrySet()) {
            new FileSaver(source.getValue()).saveAsPng(in.resolve(source.getKey()).toString());
        }
        Path out = root.resolve("out");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + in + "] output=[" + out
                + "] command=[Expand Canvas...] model=tiny-sd15-inpaint prompt=[more cells] steps=2 seed=5 left=16 "
                + "bottom=8 fill=blur"));

        assertThat(log).contains("fijigen Batch Folder: 2 done, 0 failed, 0 skipped");
        int reach = 12;
        for (Map.Entry<String, ImagePlus> source : sources.entrySet()) {
            String name = source.getKey().replace(".png", ".tif");
            ImagePlus expanded = IJ.openImage(out.resolve(name).toString());
            assertThat(expanded.getWidth()).as(name).isEqualTo(16 + 64);
            assertThat(expanded.getHeight()).as(name).isEqualTo(48 + 8);
            int[] pixels = (int[]) expanded.getProcessor().getPixels();
            int[] before = (int[]) source.getValue().getProcessor().getPixels();
            for (int y = 0; y < 48 - reach; y++) {
                for (int x = reach; x < 64; x++) {
                    assertThat(pixels[y * 80 + x + 16] & 0xffffff).as("%s (%d, %d)", name, x, y)
                            .isEqualTo(before[y * 64 + x] & 0xffffff);
                }
            }
            assertThat(expanded.getInfoProperty()).as(name).contains("Macro: run(\"Batch Folder...\", \"input=[" + in
                    + "]").contains("command=[Expand Canvas...]").contains("left=16 top=0 right=0 bottom=8");
        }
    }

    /** A preset is a share of each image's own size: 25 % on the left and right of 64 × 48 and of 32 × 32. */
    @Test
    void anExpandCanvasPresetSizesTheSidesOnEachImage() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        new FileSaver(TestImages.gradient(64, 48)).saveAsPng(in.resolve("a.png").toString());
        new FileSaver(TestImages.square(32, 32)).saveAsPng(in.resolve("b.png").toString());
        Path out = root.resolve("out");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + in + "] output=[" + out
                + "] command=[Expand Canvas...] model=tiny-sd15-inpaint prompt=[] steps=2 seed=5 preset=[25 %] "
                + "sides=[left and right]"));

        assertThat(log).contains("fijigen Batch Folder: 2 done, 0 failed, 0 skipped");
        ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
        assertThat(new int[] {a.getWidth(), a.getHeight()}).containsExactly(16 + 64 + 16, 48);
        ImagePlus b = IJ.openImage(out.resolve("b.tif").toString());
        assertThat(new int[] {b.getWidth(), b.getHeight()}).containsExactly(8 + 32 + 8, 32);
    }

    /** Refine Upscale enlarges each image by the factor and logs how far each result moved from its input. */
    @Test
    void refineUpscaleEnlargesEveryImageByTheFactorAndLogsItsConsistency() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        new FileSaver(TestImages.gradient(32, 32)).saveAsPng(in.resolve("a.png").toString());
        new FileSaver(TestImages.square(48, 32)).saveAsPng(in.resolve("b.png").toString());
        Path out = root.resolve("out");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + in + "] output=[" + out
                + "] command=[Refine Upscale...] model=tiny-sd15 prompt=[cells] steps=4 seed=5 factor=2 tile=64 "
                + "overlap=16"));

        assertThat(log).contains("fijigen Batch Folder: 2 done, 0 failed, 0 skipped");
        for (String name : List.of("a", "b")) {
            assertThat(log).containsPattern("fijigen Refine Upscale: \\[fijigen\\] refined x2 " + name
                    + "\\.png: PSNR \\d+\\.\\d\\d dB, SSIM -?\\d\\.\\d{4} against the input");
        }
        ImagePlus a = IJ.openImage(out.resolve("a.tif").toString());
        assertThat(a.getWidth()).isEqualTo(64);
        assertThat(a.getHeight()).isEqualTo(64);
        ImagePlus b = IJ.openImage(out.resolve("b.tif").toString());
        assertThat(b.getWidth()).isEqualTo(96);
        assertThat(b.getHeight()).isEqualTo(64);
        assertThat(b.getInfoProperty()).contains("Refine upscale: 2").contains("command=[Refine Upscale...]")
                .contains("factor=2");
    }

    @Test
    void aWrongInputFolderIsNamed() throws Exception {
        Path missing = root.resolve("no such folder");

        String log = printed(() -> runMacro(BatchFolderPlugin.class, null, "input=[" + missing + "] output=["
                + root.resolve("out") + "] command=[Upscale x4...] model=tiny-x4-upscaler steps=2"));

        assertThat(log).contains("fijigen Batch Folder: input folder " + missing + " does not exist: give the folder"
                + " of the images to process");
        assertThat(root.resolve("out")).doesNotExist();
    }
}
