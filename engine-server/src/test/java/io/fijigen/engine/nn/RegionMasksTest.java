package io.fijigen.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention couple's mask rule on hand-computed numbers: area averaging per grid, then normalisation. */
class RegionMasksTest {

    /** A 64×64 mask with a 24×24 square at rows 10–33, columns 21–44: on no grid's cell boundary. */
    private static float[] square() {
        float[] mask = new float[64 * 64];
        for (int y = 10; y < 34; y++) {
            for (int x = 21; x < 45; x++) {
                mask[y * 64 + x] = 1;
            }
        }
        return mask;
    }

    /** The area a separable mask covers in each cell: row share × column share. */
    private static float[] outer(double[] rows, double[] columns) {
        float[] cells = new float[rows.length * columns.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                cells[i * columns.length + j] = (float) (rows[i] * columns[j]);
            }
        }
        return cells;
    }

    @Test
    void squareIsAreaAveragedToEachLatentGrid() {
        // 8×8 (cells of 8 px): rows 10–15 are 6 of cell 1's 8, rows 32–33 2 of cell 4's; columns 21–23 3 of
        // cell 2's, 40–44 5 of cell 5's.
        assertThat(RegionMasks.areaAverage(square(), 64, 64, 8, 8)).containsExactly(outer(
                new double[] {0, 6 / 8., 1, 1, 2 / 8., 0, 0, 0},
                new double[] {0, 0, 3 / 8., 1, 1, 5 / 8., 0, 0}), within(1e-6f));
        // 4×4 (16 px): rows 6/16, 16/16, 2/16; columns 3 + 8 = 11/16 and 8 + 5 = 13/16.
        assertThat(RegionMasks.areaAverage(square(), 64, 64, 4, 4)).containsExactly(outer(
                new double[] {6 / 16., 1, 2 / 16., 0},
                new double[] {0, 11 / 16., 13 / 16., 0}), within(1e-6f));
        // 2×2 (32 px): rows 22/32 and 2/32, columns 11/32 and 13/32.
        assertThat(RegionMasks.areaAverage(square(), 64, 64, 2, 2)).containsExactly(outer(
                new double[] {22 / 32., 2 / 32.},
                new double[] {11 / 32., 13 / 32.}), within(1e-6f));
    }

    @Test
    void sizesThatDoNotDivideOverlapAsAdaptiveAvgPool2d() {
        // 10 → 3: torch's bins are [0, 4), [3, 7), [6, 10).
        float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(RegionMasks.areaAverage(ramp, 1, 10, 1, 3)).containsExactly(1.5f, 4.5f, 7.5f);
    }

    @Test
    void weightsAreNormalisedWithTheBaseFillingWhatNoRegionCovers() {
        // One row of 6 positions, the grid the image's own size: a_r is the mask itself.
        RegionMasks masks = new RegionMasks(1, 6, 3, List.of(
                new RegionMasks.Region(new float[] {1, 1, 0.5f, 0, 0.25f, 0}, 2, 1),
                new RegionMasks.Region(new float[] {0, 1, 1, 0, 0, 0}, 1, 2),
                new RegionMasks.Region(new float[] {0, 0, 0, 0, 0, 1}, 3, 0)));
        float[][] weights = masks.weights(1, 6);
        // Position by position, (base, group 1, group 2):
        // 0: covered by A alone → (0, 2, 0) → (0, 1, 0)
        // 1: A and B overlap, coverage capped at 1 → (0, 2, 1) → (0, 2/3, 1/3)
        // 2: A half, B whole → (0, 1, 1) → (0, 1/2, 1/2)
        // 3: uncovered → (1, 0, 0)
        // 4: A a quarter → base 1 − 0.25 = 0.75, A 2·0.25 = 0.5 → (0.6, 0.4, 0)
        // 5: a region with the base's text, weight 3 → (3, 0, 0) → (1, 0, 0)
        assertThat(weights[0]).containsExactly(new float[] {0, 0, 0, 1, 0.6f, 1}, within(1e-6f));
        assertThat(weights[1]).containsExactly(new float[] {1, 2 / 3f, 0.5f, 0, 0.4f, 0}, within(1e-6f));
        assertThat(weights[2]).containsExactly(new float[] {0, 1 / 3f, 0.5f, 0, 0, 0}, within(1e-6f));
    }
}
