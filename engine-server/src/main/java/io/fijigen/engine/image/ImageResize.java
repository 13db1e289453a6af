package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Resizing images: for "only masked" inpainting (the crop goes up to the generation size and the
 * result comes back down to the crop), Lanczos resampling for upscales, torch's bilinear and nearest
 * for the hires fix's latents, and 8-bit antialiased bicubic for the safety checker's CLIP input.
 * Each axis is resampled on its own, with pixel centres aligned (align_corners = false).
 */
public final class ImageResize {
    /** The bicubic parameter of PIL's BICUBIC filter (Keys' kernel); torch's non-antialiased bicubic uses −0.75. */
    private static final double CUBIC_A = -0.5;
    /** Reach of the cubic kernel in source pixels (before widening for a shrink). */
    private static final double CUBIC_SUPPORT = 2;
    /** Lobes of PIL's Lanczos filter. */
    private static final double LANCZOS_A = 3;
    /** PIL's fixed-point precision for 8-bit images (32 bits less 8 for the pixel and 2 for the sum's headroom). */
    private static final int MAX_PRECISION_BITS = 32 - 8 - 2;

    private ImageResize() {}

    /**
     * Resizes NCHW [N, C, H, W] to (height, width): bicubic (a = −0.5) when enlarging, area
     * averaging (box) when shrinking, per axis; values clamped to [0, 1]. An unchanged size returns
     * an equal copy. Sampling clamps at the image edges.
     */
    public static HostTensor resize(HostTensor image, int height, int width) {
        ImageShape shape = ImageShape.of(image, "the image");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "×" + height + ": sides must be positive");
        }
        if (height == shape.height() && width == shape.width()) {
            return new HostTensor(image.data().clone(), image.shape().clone());
        }
        return resample(image, shape, Taps.between(shape.height(), height), Taps.between(shape.width(), width), true);
    }

    /**
     * Lanczos resampling (a = 3) as PIL's {@code Image.LANCZOS}: the kernel widened by the shrink
     * factor when shrinking (antialiasing), values clamped to [0, 1]. The fast upscale without a
     * model, and the last step when a requested factor is not the model's 4.
     */
    public static HostTensor lanczos(HostTensor image, int height, int width) {
        ImageShape shape = ImageShape.of(image, "the image");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "×" + height + ": sides must be positive");
        }
        return resample(image, shape, Taps.pil(shape.height(), height, LANCZOS_A, Taps::lanczosKernel),
                Taps.pil(shape.width(), width, LANCZOS_A, Taps::lanczosKernel), true);
    }

    /**
     * torch's {@code interpolate(mode="bilinear", align_corners=False, antialias=False)}, the web UI's
     * "Latent" hires upscaler: two taps per axis around the source position of the output pixel's
     * centre, no widening when shrinking, values not clamped (latents are not in [0, 1]).
     */
    public static HostTensor bilinear(HostTensor image, int height, int width) {
        ImageShape shape = ImageShape.of(image, "the image");
        return resample(image, shape, Taps.bilinear(shape.height(), height), Taps.bilinear(shape.width(), width),
                false);
    }

    /** torch's {@code interpolate(mode="nearest")}, the web UI's "Latent (nearest)": values not clamped. */
    public static HostTensor nearest(HostTensor image, int height, int width) {
        ImageShape shape = ImageShape.of(image, "the image");
        return resample(image, shape, Taps.nearest(shape.height(), height), Taps.nearest(shape.width(), width),
                false);
    }

    /**
     * Antialiased bicubic resizing of an 8-bit image as torch's uint8 kernel does it (what
     * torchvision's resize runs for transformers' CLIP image processor): PIL's algorithm (the kernel
     * widened by the shrink factor, columns first and rounded to 8 bits before the rows) with 16-bit
     * fixed-point weights. It reproduces the fixture's {@code safety.clip_input} exactly, where PIL's
     * own 22-bit weights differ by a grey level in 0.6% of the pixels. An axis whose size does not
     * change is not resampled.
     */
    static ImagePixels antialiasedBicubic(ImagePixels image, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("cannot resize to " + width + "×" + height + ": sides must be positive");
        }
        ImagePixels result = image;
        if (width != image.width()) {
            result = fixedPointPass(result, Taps.pil(image.width(), width, CUBIC_SUPPORT, Taps::keys), false);
        }
        if (height != image.height()) {
            result = fixedPointPass(result, Taps.pil(image.height(), height, CUBIC_SUPPORT, Taps::keys), true);
        }
        return result;
    }

    /** One axis of the 8-bit resampling: along columns ({@code vertical}) or along rows. */
    private static ImagePixels fixedPointPass(ImagePixels image, Taps taps, boolean vertical) {
        int channels = image.channels();
        int height = vertical ? taps.index.length : image.height();
        int width = vertical ? image.width() : taps.index.length;
        int precision = weightPrecision(taps);
        int[][] fixed = new int[taps.weight.length][];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = new int[taps.weight[i].length];
            for (int k = 0; k < fixed[i].length; k++) {
                double scaled = taps.weight[i][k] * (1 << precision);
                fixed[i][k] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            }
        }
        byte[] source = image.data();
        byte[] resized = new byte[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int out = vertical ? y : x;
                for (int c = 0; c < channels; c++) {
                    int sum = 1 << (precision - 1);
                    for (int k = 0; k < fixed[out].length; k++) {
                        int from = vertical
                                ? (taps.index[out][k] * image.width() + x) * channels + c
                                : (y * image.width() + taps.index[out][k]) * channels + c;
                        sum += (source[from] & 0xFF) * fixed[out][k];
                    }
                    resized[(y * width + x) * channels + c] = (byte) Math.min(Math.max(sum >> precision, 0), 255);
                }
            }
        }
        return new ImagePixels(resized, height, width, channels);
    }

    /**
     * The fractional bits of the 16-bit fixed-point weights: as many as keep twice the largest
     * weight below 2^15, and at most PIL's 22.
     */
    private static int weightPrecision(Taps taps) {
        double max = taps.weight[0][0];
        for (double[] weights : taps.weight) {
            for (double w : weights) {
                max = Math.max(max, w);
            }
        }
        int precision = 0;
        while (precision < MAX_PRECISION_BITS && (int) (0.5 + max * (1 << (precision + 1))) < 1 << 15) {
            precision++;
        }
        return precision;
    }

    /** The separable resampling the filters share: rows, then columns; {@code clamp} to [0, 1] for images. */
    private static HostTensor resample(HostTensor image, ImageShape shape, Taps rows, Taps columns, boolean clamp) {
        int height = rows.index.length;
        int width = columns.index.length;
        int planes = shape.batch() * shape.channels();
        float[] source = image.data();
        float[] resized = new float[planes * height * width];
        double[] row = new double[shape.width()];
        for (int plane = 0; plane < planes; plane++) {
            int from = plane * shape.plane();
            int to = plane * height * width;
            for (int y = 0; y < height; y++) {
                // Rows first, kept in double: one float rounding per output value, so a 2× shrink is
                // the exactly rounded mean of its 2×2 block.
                Arrays.fill(row, 0);
                for (int k = 0; k < rows.index[y].length; k++) {
                    int sourceRow = from + rows.index[y][k] * shape.width();
                    double weight = rows.weight[y][k];
                    for (int x = 0; x < row.length; x++) {
                        row[x] += weight * source[sourceRow + x];
                    }
                }
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < columns.index[x].length; k++) {
                        sum += columns.weight[x][k] * row[columns.index[x][k]];
                    }
                    resized[to + y * width + x] = (float) (clamp ? Math.min(Math.max(sum, 0.0), 1.0) : sum);
                }
            }
        }
        return new HostTensor(resized, ImageShape.nchw(shape.batch(), shape.channels(), height, width));
    }

    /** For each output position along one axis, the source positions it reads and their weights (summing to 1). */
    private record Taps(int[][] index, double[][] weight) {

        static Taps between(int in, int out) {
            Taps taps = new Taps(new int[out][], new double[out][]);
            for (int dst = 0; dst < out; dst++) {
                if (in == out) {
                    taps.index[dst] = new int[] {dst};
                    taps.weight[dst] = new double[] {1.0};
                } else if (out > in) {
                    taps.cubic(dst, in, out);
                } else {
                    taps.box(dst, in, out);
                }
            }
            return taps;
        }

        /**
         * torch's {@code upsample_bilinear2d} taps: the source position {@code (dst + 0.5) · in/out − 0.5}
         * in float, clamped at 0, between its floor and the next pixel (the last pixel at the edge).
         */
        static Taps bilinear(int in, int out) {
            Taps taps = new Taps(new int[out][], new double[out][]);
            float scale = (float) in / out;
            for (int dst = 0; dst < out; dst++) {
                float source = Math.max(scale * (dst + 0.5f) - 0.5f, 0f);
                int first = (int) source;
                float lambda = source - first;
                boolean edge = first >= in - 1;
                taps.index[dst] = edge ? new int[] {first} : new int[] {first, first + 1};
                taps.weight[dst] = edge ? new double[] {1.0} : new double[] {1f - lambda, lambda};
            }
            return taps;
        }

        /** torch's {@code nearest_idx}: source pixel {@code floor(dst · in/out)} in float, at most the last. */
        static Taps nearest(int in, int out) {
            Taps taps = new Taps(new int[out][], new double[out][]);
            float scale = (float) in / out;
            for (int dst = 0; dst < out; dst++) {
                taps.index[dst] = new int[] {Math.min((int) Math.floor(dst * scale), in - 1)};
                taps.weight[dst] = new double[] {1.0};
            }
            return taps;
        }

        /** Four taps around the source position of the output pixel's centre, indices clamped to the image. */
        private void cubic(int dst, int in, int out) {
            double centre = (dst + 0.5) * in / out - 0.5;
            int base = (int) Math.floor(centre);
            double t = centre - base;
            int[] taps = new int[4];
            double[] weights = new double[4];
            for (int k = 0; k < 4; k++) {
                taps[k] = Math.min(Math.max(base - 1 + k, 0), in - 1);
                weights[k] = keys(t - (k - 1));
            }
            index[dst] = taps;
            weight[dst] = normalised(weights);
        }

        /** Every source pixel the output pixel's footprint [dst, dst + 1) · in/out overlaps, weighted by the overlap. */
        private void box(int dst, int in, int out) {
            double scale = (double) in / out;
            double start = dst * scale;
            double end = Math.min((dst + 1) * scale, in);
            int first = (int) Math.floor(start);
            int last = Math.min((int) Math.ceil(end), in) - 1;
            int[] taps = new int[last - first + 1];
            double[] weights = new double[taps.length];
            for (int i = first; i <= last; i++) {
                taps[i - first] = i;
                weights[i - first] = Math.min(i + 1, end) - Math.max(i, start);
            }
            index[dst] = taps;
            weight[dst] = normalised(weights);
        }

        /**
         * PIL's taps for a filter reaching {@code support} source pixels around the output pixel's
         * centre, times the shrink factor when shrinking (the kernel stretched likewise), clipped
         * to the image and renormalised.
         */
        static Taps pil(int in, int out, double filterSupport, DoubleUnaryOperator kernel) {
            Taps taps = new Taps(new int[out][], new double[out][]);
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterSupport * filterScale;
            for (int dst = 0; dst < out; dst++) {
                double centre = (dst + 0.5) * scale;
                int first = Math.max((int) (centre - support + 0.5), 0);
                int end = Math.min((int) (centre + support + 0.5), in);
                int[] index = new int[end - first];
                double[] weights = new double[index.length];
                for (int x = first; x < end; x++) {
                    index[x - first] = x;
                    weights[x - first] = kernel.applyAsDouble((x - centre + 0.5) / filterScale);
                }
                taps.index[dst] = index;
                taps.weight[dst] = normalised(weights);
            }
            return taps;
        }

        private static double lanczosKernel(double x) {
            if (Math.abs(x) >= LANCZOS_A) {
                return 0;
            }
            return sinc(x) * sinc(x / LANCZOS_A);
        }

        private static double sinc(double x) {
            if (x == 0) {
                return 1;
            }
            double px = Math.PI * x;
            return Math.sin(px) / px;
        }

        /** Keys' cubic convolution kernel at distance d (either sign). */
        private static double keys(double x) {
            double d = Math.abs(x);
            if (d <= 1) {
                return ((CUBIC_A + 2) * d - (CUBIC_A + 3)) * d * d + 1;
            }
            if (d < 2) {
                return ((CUBIC_A * d - 5 * CUBIC_A) * d + 8 * CUBIC_A) * d - 4 * CUBIC_A;
            }
            return 0;
        }

        private static double[] normalised(double[] weights) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            for (int k = 0; k < weights.length; k++) {
                weights[k] /= total;
            }
            return weights;
        }
    }
}
