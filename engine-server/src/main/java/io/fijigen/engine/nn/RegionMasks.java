package io.fijigen.engine.nn;

import java.util.List;

/**
 * The attention couple's mask rule: how much each text group contributes to each position of a
 * cross-attention layer's h×w grid. Group 0 is the base prompt; every other group is one distinct
 * region text (regions with the same text share a group, so their contributions add up).
 *
 * <p>Each region's mask (at image resolution, in [0, 1]) is area-averaged to the grid as torch's
 * {@code adaptive_avg_pool2d} does (exact area averaging where the size divides), giving a_r.
 * Coverage c = min(1, Σ_r a_r); the base weighs 1 − c, plus w_r·a_r of any region with the base's
 * text; a region group weighs Σ w_r·a_r over its regions; the weights are then divided by their
 * sum at every position (a sum of 0, possible only where every weight vanishes, gives the base 1).
 */
public final class RegionMasks {
    /**
     * @param mask height·width values in [0, 1], row-major at the image's resolution
     * @param weight the region's weight, in (0, 10]
     * @param group the region's text group: 0 for the base prompt's text
     */
    public record Region(float[] mask, double weight, int group) {}

    private final int height;
    private final int width;
    private final int groups;
    private final List<Region> regions;

    /** {@code groups} counts the base: 1 + the distinct region texts. */
    public RegionMasks(int height, int width, int groups, List<Region> regions) {
        for (Region region : regions) {
            if (region.mask().length != height * width) {
                throw new IllegalArgumentException("a region mask has " + region.mask().length + " values, not "
                        + height + "×" + width);
            }
        }
        this.height = height;
        this.width = width;
        this.groups = groups;
        this.regions = List.copyOf(regions);
    }

    public int groups() {
        return groups;
    }

    /** The normalised weights [groups][h·w] of a layer whose grid is {@code h}×{@code w}. */
    public float[][] weights(int h, int w) {
        int positions = h * w;
        double[][] weights = new double[groups][positions];
        double[] coverage = new double[positions];
        for (Region region : regions) {
            float[] area = areaAverage(region.mask(), height, width, h, w);
            for (int p = 0; p < positions; p++) {
                coverage[p] += area[p];
                weights[region.group()][p] += region.weight() * area[p];
            }
        }
        float[][] result = new float[groups][positions];
        for (int p = 0; p < positions; p++) {
            weights[0][p] += 1 - Math.min(1, coverage[p]);
            double sum = 0;
            for (int g = 0; g < groups; g++) {
                sum += weights[g][p];
            }
            for (int g = 0; g < groups; g++) {
                result[g][p] = sum == 0 ? (g == 0 ? 1 : 0) : (float) (weights[g][p] / sum);
            }
        }
        return result;
    }

    /**
     * torch's {@code adaptive_avg_pool2d} of a [height, width] map to [h, w]: output cell (i, j)
     * averages rows ⌊i·height/h⌋ to ⌈(i+1)·height/h⌉ − 1 and the columns likewise.
     */
    static float[] areaAverage(float[] mask, int height, int width, int h, int w) {
        float[] out = new float[h * w];
        for (int i = 0; i < h; i++) {
            int top = Math.floorDiv(i * height, h);
            int bottom = -Math.floorDiv(-(i + 1) * height, h);
            for (int j = 0; j < w; j++) {
                int left = Math.floorDiv(j * width, w);
                int right = -Math.floorDiv(-(j + 1) * width, w);
                double sum = 0;
                for (int y = top; y < bottom; y++) {
                    for (int x = left; x < right; x++) {
                        sum += mask[y * width + x];
                    }
                }
                out[i * w + j] = (float) (sum / ((bottom - top) * (right - left)));
            }
        }
        return out;
    }
}
