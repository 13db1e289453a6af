package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PSNR and SSIM on images whose values are known by hand. */
class DataConsistencyTest {

    private static HostTensor constant(float value, int height, int width) {
        float[] data = new float[3 * height * width];
        Arrays.fill(data, value);
        return new HostTensor(data, new long[] {1, 3, height, width});
    }

    /** A smooth pattern with structure at several scales, so SSIM's variance terms are not zero. */
    private static HostTensor pattern(int height, int width) {
        float[] data = new float[3 * height * width];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double value = 0.5 + 0.4 * Math.sin(x * 0.3 + c) * Math.cos(y * 0.2);
                    data[(c * height + y) * width + x] = (float) value;
                }
            }
        }
        return new HostTensor(data, new long[] {1, 3, height, width});
    }

    @Test
    void identicalImagesHaveInfinitePsnrAndSsimOne() {
        HostTensor image = pattern(32, 40);

        assertThat(DataConsistency.psnr(image, image)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(DataConsistency.ssim(image, image)).isCloseTo(1, within(1e-12));
    }

    /**
     * Constant images a and b: MSE (a − b)², so PSNR = 10 log10(1 / (a − b)²); the variances and
     * covariance are 0, so SSIM = (2ab + C1) / (a² + b² + C1) with C1 = 0.01².
     */
    @Test
    void constantImagesGiveTheHandComputedValues() {
        HostTensor a = constant(0.5f, 16, 16);
        HostTensor b = constant(0.25f, 16, 16);

        double psnr = DataConsistency.psnr(a, b);
        double ssim = DataConsistency.ssim(a, b);
        double expectedSsim = (2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4);
        System.out.printf("constant 0.5 vs 0.25: PSNR %.6f dB (expected %.6f), SSIM %.6f (expected %.6f)%n", psnr,
                10 * Math.log10(16), ssim, expectedSsim);
        assertThat(psnr).isCloseTo(10 * Math.log10(16), within(1e-9));
        assertThat(ssim).isCloseTo(expectedSsim, within(1e-6));
    }

    /**
     * A pattern against its negative around 0.5: equal means, covariance −σ², so SSIM = (C2 − 2σ²) /
     * (2σ² + C2) < 0.
     */
    @Test
    void anInvertedPatternHasNegativeSsim() {
        HostTensor image = pattern(24, 24);
        float[] inverted = image.data().clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = 1 - inverted[i];
        }

        assertThat(DataConsistency.ssim(image, new HostTensor(inverted, image.shape()))).isNegative();
    }

    /** The result is shrunk back by Lanczos first: a 2× Lanczos enlargement of a smooth image comes back close. */
    @Test
    void aLanczosEnlargementIsCloseToItsInput() {
        HostTensor input = pattern(48, 48);
        DataConsistency consistency = DataConsistency.of(ImageResize.lanczos(input, 96, 96), input);

        System.out.printf("Lanczos ×2 then shrunk back: PSNR %.2f dB, SSIM %.4f%n", consistency.psnr(),
                consistency.ssim());
        assertThat(consistency.psnr()).isGreaterThan(35);
        assertThat(consistency.ssim()).isGreaterThan(0.99);
    }
}
