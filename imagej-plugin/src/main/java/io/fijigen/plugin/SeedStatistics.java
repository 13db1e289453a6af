package io.fijigen.plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-pixel statistics over the variants of one job: what the model invents everywhere, and how
 * much that varies from seed to seed — the spread a scientist should see before trusting a
 * generated pixel.
 *
 * <p>A 32-bit stack, one labelled slice per statistic: for grey variants {@code mean} and
 * {@code standard deviation}; for RGB ones the same per channel ({@code mean red} … {@code
 * standard deviation blue}). For inpainting a last slice, {@code disagreement}, is the root mean
 * square of the channels' standard deviations: one map of where the seeds disagree most (zero
 * where the engine kept the original pixels). The standard deviation is the sample one (divided by
 * n − 1), as ImageJ's Z Project computes it.
 */
public final class SeedStatistics {
    /** The least number of variants statistics are computed over. */
    public static final int MIN_VARIANTS = 2;

    private static final String[] CHANNELS = {"red", "green", "blue"};

    private SeedStatistics() {}

    /**
     * The statistics of {@code variants} (all the same size and kind: grey or RGB).
     *
     * @param disagreement whether to add the disagreement map (inpainting)
     * @throws IllegalArgumentException for fewer than {@value #MIN_VARIANTS} variants or mixed sizes
     */
    public static ImageStack of(List<? extends ImageProcessor> variants, boolean disagreement) {
        if (variants.size() < MIN_VARIANTS) {
            throw new IllegalArgumentException("statistics need at least " + MIN_VARIANTS + " images, not "
                    + variants.size() + ": set Images to 2 or more");
        }
        ImageProcessor first = variants.get(0);
        int width = first.getWidth();
        int height = first.getHeight();
        boolean rgb = first instanceof ColorProcessor;
        for (ImageProcessor variant : variants) {
            if (variant.getWidth() != width || variant.getHeight() != height
                    || variant instanceof ColorProcessor != rgb) {
                throw new IllegalArgumentException("the images differ in size or type");
            }
        }
        int channels = rgb ? 3 : 1;
        List<FloatProcessor> means = new ArrayList<>();
        List<FloatProcessor> deviations = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            List<FloatProcessor> values = new ArrayList<>();
            for (ImageProcessor variant : variants) {
                values.add(variant.toFloat(c, null));
            }
            FloatProcessor mean = new FloatProcessor(width, height);
            FloatProcessor deviation = new FloatProcessor(width, height);
            meanAndDeviation(values, mean, deviation);
            means.add(mean);
            deviations.add(deviation);
        }
        ImageStack stack = new ImageStack(width, height);
        for (int c = 0; c < channels; c++) {
            stack.addSlice(rgb ? "mean " + CHANNELS[c] : "mean", means.get(c));
        }
        for (int c = 0; c < channels; c++) {
            stack.addSlice(rgb ? "standard deviation " + CHANNELS[c] : "standard deviation", deviations.get(c));
        }
        if (disagreement) {
            stack.addSlice("disagreement", rootMeanSquare(deviations));
        }
        return stack;
    }

    /** A new image of {@link #of}'s stack, titled after the job's layer name. */
    public static ImagePlus image(List<? extends ImageProcessor> variants, boolean disagreement, String jobName) {
        return new ImagePlus("[fijigen] statistics · " + jobName, of(variants, disagreement));
    }

    private static void meanAndDeviation(List<FloatProcessor> values, FloatProcessor mean, FloatProcessor deviation) {
        int n = values.size();
        float[] sum = (float[]) mean.getPixels();
        float[] sd = (float[]) deviation.getPixels();
        for (int i = 0; i < sum.length; i++) {
            double total = 0;
            for (FloatProcessor value : values) {
                total += ((float[]) value.getPixels())[i];
            }
            double average = total / n;
            double squares = 0;
            for (FloatProcessor value : values) {
                double d = ((float[]) value.getPixels())[i] - average;
                squares += d * d;
            }
            sum[i] = (float) average;
            sd[i] = (float) Math.sqrt(squares / (n - 1));
        }
    }

    private static FloatProcessor rootMeanSquare(List<FloatProcessor> deviations) {
        FloatProcessor first = deviations.get(0);
        FloatProcessor map = new FloatProcessor(first.getWidth(), first.getHeight());
        float[] out = (float[]) map.getPixels();
        for (int i = 0; i < out.length; i++) {
            double squares = 0;
            for (FloatProcessor deviation : deviations) {
                double d = ((float[]) deviation.getPixels())[i];
                squares += d * d;
            }
            out[i] = (float) Math.sqrt(squares / deviations.size());
        }
        return map;
    }
}
