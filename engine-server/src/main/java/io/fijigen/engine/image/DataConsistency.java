package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;

/**
 * How far an upscaled image moved away from the data: the result shrunk back to the input's size
 * by Lanczos resampling ({@link ImageResize#lanczos}, antialiased as PIL's) and compared with the
 * input, by PSNR (peak 1) and by SSIM as Wang et al. (2004) define it: an 11 × 11 Gaussian window
 * of σ 1.5, K1 = 0.01, K2 = 0.03, the mean over the windows that fit ("valid", as their MATLAB
 * code's {@code filter2(..., 'valid')}), per channel, then over the channels.
 *
 * @param psnr dB; +∞ for identical images
 * @param ssim 1 for identical images
 */
public record DataConsistency(double psnr, double ssim) {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    /** {@code result} against {@code input}, both [1, C, H, W] in [0, 1], the result at any size. */
    public static DataConsistency of(HostTensor result, HostTensor input) {
        ImageShape shape = ImageShape.of(input, "the input");
        HostTensor shrunk = ImageResize.lanczos(result, shape.height(), shape.width());
        return new DataConsistency(psnr(shrunk, input), ssim(shrunk, input));
    }

    /** 10 log10(1 / MSE) over all values of two equal-shaped images. */
    public static double psnr(HostTensor a, HostTensor b) {
        float[] x = a.data();
        float[] y = b.data();
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            squares += d * d;
        }
        double mse = squares / x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }

    /** The mean SSIM of the channels of two equal-shaped [1, C, H, W] images. */
    public static double ssim(HostTensor a, HostTensor b) {
        ImageShape shape = ImageShape.of(a, "the image");
        int plane = shape.plane();
        double sum = 0;
        for (int c = 0; c < shape.channels(); c++) {
            sum += planeSsim(a.data(), b.data(), c * plane, shape.height(), shape.width());
        }
        return sum / shape.channels();
    }

    private static double planeSsim(float[] x, float[] y, int offset, int height, int width) {
        double[] wy = gaussian(Math.min(WINDOW, height));
        double[] wx = gaussian(Math.min(WINDOW, width));
        double total = 0;
        int rows = height - wy.length + 1;
        int columns = width - wx.length + 1;
        for (int top = 0; top < rows; top++) {
            for (int left = 0; left < columns; left++) {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int i = 0; i < wy.length; i++) {
                    for (int j = 0; j < wx.length; j++) {
                        double w = wy[i] * wx[j];
                        int at = offset + (top + i) * width + left + j;
                        mx += w * x[at];
                        my += w * y[at];
                        xx += w * x[at] * x[at];
                        yy += w * y[at] * y[at];
                        xy += w * x[at] * y[at];
                    }
                }
                double vx = xx - mx * mx;
                double vy = yy - my * my;
                double cov = xy - mx * my;
                total += (2 * mx * my + C1) * (2 * cov + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            }
        }
        return total / ((double) rows * columns);
    }

    /** The normalised Gaussian of σ 1.5 over {@code size} taps (11, or a shorter side). */
    private static double[] gaussian(int size) {
        double[] taps = new double[size];
        double centre = (size - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            taps[i] = Math.exp(-(i - centre) * (i - centre) / (2 * SIGMA * SIGMA));
            sum += taps[i];
        }
        for (int i = 0; i < size; i++) {
            taps[i] /= sum;
        }
        return taps;
    }
}
