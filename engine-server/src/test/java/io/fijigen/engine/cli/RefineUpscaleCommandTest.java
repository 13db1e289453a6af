package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.pipeline.RefineUpscale;
import io.fijigen.engine.weights.StateDict;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen upscale --refine}: ×2 of a 96×96 image on tiny-sd15, tiny-controlnet-canny standing in
 * as the tile ControlNet, in tiles of 128 overlapping by 32 (4 tiles): the size, the parameters, the
 * consistency figures, and no seam at the tiles' borders.
 */
class RefineUpscaleCommandTest {
    /**
     * At a tile border the mean |difference| of the two adjacent pixel columns (rows) may be at most this
     * many times the mean over all adjacent pairs: a tile pasted without blending shows as a step there.
     */
    private static final double SEAM_BOUND = 1.5;
    private static final int SIDE = 192;

    private static final int TILE = 128;
    private static final int OVERLAP = 32;

    @TempDir
    static Path dir;

    private static CliRun run;

    /** One run (4 tiles of the tiny model take a minute on a busy CPU) for both tests. */
    @BeforeAll
    static void refine() throws Exception {
        Path input = dir.resolve("cells.png");
        ImageIO.write(cells(), "png", input.toFile());
        run = CliRun.of("upscale", "--refine", "--factor", "2",
                "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(),
                "--image", input.toString(), "--prompt", "cells in a dish", "--steps", "4", "--seed", "11",
                "--tile", String.valueOf(TILE), "--tile-overlap", String.valueOf(OVERLAP),
                "--out", dir.resolve("refined.png").toString(),
                "--out-tensor", dir.resolve("refined.safetensors").toString());
        System.out.println(run.out());
    }

    /** Cells of a few sizes on a gradient: structure for the tiles and the consistency figures to follow. */
    private static BufferedImage cells() {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                double cells = 0.5 + 0.5 * Math.sin(x * 0.35) * Math.sin(y * 0.27);
                int r = (int) Math.round(255 * (0.2 + 0.6 * cells));
                int g = (int) Math.round(255 * (0.1 + 0.8 * x / 95.0 * cells));
                int b = (int) Math.round(255 * (0.3 + 0.5 * y / 95.0));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    @Test
    void twiceA96ImageIs192WithItsSettingsAndConsistencyFigures() throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        BufferedImage refined = ImageIO.read(dir.resolve("refined.png").toFile());
        assertThat(refined.getWidth()).isEqualTo(SIDE);
        assertThat(refined.getHeight()).isEqualTo(SIDE);
        Matcher printed = Pattern.compile("PSNR (\\d+\\.\\d\\d) dB, SSIM (-?\\d\\.\\d{4})").matcher(run.out());
        assertThat(printed.find()).as(run.out()).isTrue();
        // The tiny model repaints with random weights: far from the data (a real one stays near 30 dB).
        assertThat(Double.parseDouble(printed.group(1))).isBetween(5.0, 60.0);
        assertThat(Double.parseDouble(printed.group(2))).isBetween(-1.0, 1.0);
        assertThat(PngWriter.readParameters(dir.resolve("refined.png"))).startsWith("cells in a dish\nSteps: 4,")
                .contains("Seed: 11,", "Size: 192x192", "Model: tiny-sd15", "Denoising strength: 0.35",
                        "Refine upscale: 2, Refine upscaler: Lanczos, Tile size: 128, Tile overlap: 32",
                        "Tile ControlNet: ", "PSNR: " + printed.group(1) + " dB, SSIM: " + printed.group(2));
    }

    @Test
    void tileBordersShowNoSeam() throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        Tiling tiling = RefineUpscale.tiling(TILE, OVERLAP, SIDE, SIDE);
        float[] blended = images();
        float[] seamed = withTilesOffset(blended, borders(tiling), 0.1f);

        double blendedRatio = seamRatio(blended, borders(tiling));
        double seamedRatio = seamRatio(seamed, borders(tiling));
        System.out.printf("tile borders' mean |step| over all adjacent pairs': blended %.3f (bound %.1f); the same"
                + " image with every other tile 0.1 brighter %.3f%n", blendedRatio, SEAM_BOUND, seamedRatio);
        assertThat(blendedRatio).isLessThanOrEqualTo(SEAM_BOUND);
        // The measure sees a seam of 0.1 (26 grey levels) where one is.
        assertThat(seamedRatio).isGreaterThan(SEAM_BOUND);
    }

    @Test
    void badRefineValuesAreRefusedNamingTheOption() {
        CliRun strength = CliRun.of("upscale", "--refine", "--factor", "2", "--strength", "0",
                "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--image", dir.resolve("cells.png").toString(), "--out", dir.resolve("x.png").toString());
        CliRun noModel = CliRun.of("upscale", "--refine", "--factor", "2",
                "--image", dir.resolve("cells.png").toString(), "--out", dir.resolve("x.png").toString());

        assertThat(strength.exitCode()).isEqualTo(1);
        assertThat(strength.err()).contains("--strength 0: 0 is outside (0, 1]");
        assertThat(noModel.exitCode()).isEqualTo(1);
        assertThat(noModel.err()).contains("--refine needs --model");
    }

    /** The image with the regions between borders in a checkerboard, odd ones {@code offset} brighter. */
    private static float[] withTilesOffset(float[] nhwc, List<Integer> borders, float offset) {
        float[] seamed = nhwc.clone();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                if ((region(x, borders) + region(y, borders)) % 2 == 1) {
                    for (int c = 0; c < 3; c++) {
                        seamed[(y * SIDE + x) * 3 + c] += offset;
                    }
                }
            }
        }
        return seamed;
    }

    private static int region(int at, List<Integer> borders) {
        return (int) borders.stream().filter(border -> border <= at).count();
    }

    /** Every tile edge inside the image. */
    private static List<Integer> borders(Tiling tiling) {
        List<Integer> borders = new ArrayList<>();
        for (int[] span : tiling.spans(SIDE)) {
            for (int edge : span) {
                if (edge > 0 && edge < SIDE && !borders.contains(edge)) {
                    borders.add(edge);
                }
            }
        }
        return borders;
    }

    private static float[] images() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(dir.resolve("refined.safetensors")), session.manager,
                        DataType.FLOAT32)) {
            return written.get("images").toFloatArray();
        }
    }

    /**
     * The mean |difference| between the pixel columns (and rows) on either side of every tile edge inside
     * the image, over the mean |difference| of all adjacent columns and rows. NHWC [1, 192, 192, 3].
     */
    private static double seamRatio(float[] nhwc, List<Integer> borders) {
        double all = 0;
        double atBorders = 0;
        for (int edge = 1; edge < SIDE; edge++) {
            double step = (step(nhwc, edge, true) + step(nhwc, edge, false)) / 2;
            all += step;
            if (borders.contains(edge)) {
                atBorders += step;
            }
        }
        return (atBorders / borders.size()) / (all / (SIDE - 1));
    }

    /** The mean |difference| between column (row) {@code edge − 1} and {@code edge}, over its pixels and channels. */
    private static double step(float[] nhwc, int edge, boolean columns) {
        double sum = 0;
        for (int i = 0; i < SIDE; i++) {
            for (int c = 0; c < 3; c++) {
                int before = columns ? (i * SIDE + edge - 1) * 3 + c : ((edge - 1) * SIDE + i) * 3 + c;
                int after = columns ? (i * SIDE + edge) * 3 + c : (edge * SIDE + i) * 3 + c;
                sum += Math.abs(nhwc[after] - nhwc[before]);
            }
        }
        return sum / (SIDE * 3);
    }
}
