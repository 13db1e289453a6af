package io.fijigen.plugin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.fijigen.proto.v1.Tensor;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The normalisation round trip without an engine: forward to the 16-bit PNG, then those values fed
 * back as the engine's float output of a grey image (R = G = B = value / 65535) through the
 * inverse, for 8-, 16- and 32-bit images with values inside and outside the rule's range.
 */
class GreyConversionTest {

    /** The samples of a grey PNG. */
    static int[] samples(byte[] png) throws Exception {
        Raster raster = ImageIO.read(new ByteArrayInputStream(png)).getRaster();
        return raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), 0, (int[]) null);
    }

    /** 16-bit samples as the engine's float output of one image: [1, H, W, 3], grey. */
    static Tensor asFloatOutput(int[] samples, int width, int height) {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int sample : samples) {
            float value = sample / 65535f;
            data.putFloat(value).putFloat(value).putFloat(value);
        }
        return Tensor.newBuilder().addAllShape(List.of(1L, (long) height, (long) width, 3L))
                .setData(ByteString.copyFrom(data.array())).build();
    }

    /** Forward then inverse; returns the largest distance to the clipped original it found. */
    static double roundTrip(ImageProcessor values, Normalisation rule, double displayMin, double displayMax)
            throws Exception {
        values.setMinAndMax(displayMin, displayMax);
        ValueRange range = rule.resolve(values, displayMin, displayMax);
        int[] sent = samples(GreyConversion.toPng(values, range, 16));
        ImageProcessor back = GreyConversion.fromPixels(asFloatOutput(sent, values.getWidth(), values.getHeight()),
                0, range, values);

        assertThat(back.getClass()).isEqualTo(values.getClass());
        assertThat(back.getMin()).as("the source's display range").isEqualTo(displayMin);
        assertThat(back.getMax()).isEqualTo(displayMax);
        boolean integer = !(values instanceof FloatProcessor);
        double step = (range.hi() - range.lo()) / 65535;
        double allowed = step + (integer ? 0.5 : 0) + 1e-9 * Math.max(1, Math.abs(range.hi()));
        double worst = 0;
        for (int i = 0; i < values.getPixelCount(); i++) {
            double clipped = Math.max(range.lo(), Math.min(range.hi(), values.getf(i)));
            double distance = Math.abs(back.getf(i) - clipped);
            assertThat(distance).as("pixel %d: %s → %s (%s, %s–%s)", i, values.getf(i), back.getf(i),
                    rule.rule(), range.lo(), range.hi()).isLessThanOrEqualTo(allowed);
            worst = Math.max(worst, distance);
        }
        System.out.printf("round trip %d-bit %s %s–%s: max |diff| %.4g (allowed %.4g)%n", values.getBitDepth(),
                rule.rule(), range.lo(), range.hi(), worst, allowed);
        return worst;
    }

    static final Normalisation CSBDEEP = Normalisation.percentiles(1, 99.8);
    static final Normalisation NARROW = Normalisation.percentiles(10, 90);

    @Test
    void eightBit() throws Exception {
        ByteProcessor ip = new ByteProcessor(256, 2);
        for (int i = 0; i < 512; i++) {
            ip.set(i % 256, i / 256, (i * 37) % 256);
        }
        assertThat(roundTrip(ip, Normalisation.DISPLAY_RANGE, 0, 255)).as("the whole range: exact").isZero();
        roundTrip(ip, Normalisation.DISPLAY_RANGE, 20, 200);
        roundTrip(ip, CSBDEEP, 0, 255);
        roundTrip(ip, NARROW, 0, 255);
    }

    @Test
    void sixteenBit() throws Exception {
        ShortProcessor ip = new ShortProcessor(300, 3);
        for (int i = 0; i < 900; i++) {
            // Mostly 1000..4000, with a few dark and saturated outliers.
            ip.set(i % 300, i / 300, i % 97 == 0 ? 65535 : i % 89 == 0 ? 3 : 1000 + (i * 7919) % 3000);
        }
        roundTrip(ip, Normalisation.DISPLAY_RANGE, 0, 65535);
        roundTrip(ip, Normalisation.DISPLAY_RANGE, 1500, 3500);
        roundTrip(ip, CSBDEEP, 0, 65535);
        roundTrip(ip, NARROW, 0, 65535);
    }

    @Test
    void thirtyTwoBit() throws Exception {
        FloatProcessor ip = new FloatProcessor(200, 2);
        for (int i = 0; i < 400; i++) {
            ip.setf(i % 200, i / 200, (float) (Math.sin(i * 0.37) * 2.5 + (i % 53 == 0 ? 40 : 0)));
        }
        roundTrip(ip, Normalisation.DISPLAY_RANGE, -1, 1);
        roundTrip(ip, CSBDEEP, -1, 1);
        roundTrip(ip, NARROW, -1, 1);
    }

    @Test
    void theInverseIsTheLumaOfTheEnginesRgb() {
        // One pixel R 1, G 0.5, B 0: Y = 0.299 + 0.2935 = 0.5925 of the range 100..300.
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(0.5f).putFloat(0);
        Tensor pixel = Tensor.newBuilder().addAllShape(List.of(1L, 1L, 1L, 3L))
                .setData(ByteString.copyFrom(data.array())).build();
        ValueRange range = new ValueRange(Normalisation.DISPLAY_RANGE, 100, 300);
        assertThat(GreyConversion.fromPixels(pixel, 0, range, new FloatProcessor(1, 1)).getf(0))
                .isEqualTo(218.5f);
        assertThat(GreyConversion.fromPixels(pixel, 0, range, new ShortProcessor(1, 1)).get(0)).isEqualTo(219);
        ValueRange wide = new ValueRange(Normalisation.DISPLAY_RANGE, 0, 1000);
        assertThat(GreyConversion.fromPixels(pixel, 0, wide, new ByteProcessor(1, 1)).get(0))
                .as("clamped to 8 bits").isEqualTo(255);
    }
}
