package io.fijigen.plugin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.proto.v1.GenerateRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** What the engine is sent of an image: RGB as shown, grey as 16-bit grey through its normalisation. */
class ImageConversionTest {

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** The 16-bit grey samples of a PNG, after checking that it is one. */
    static int sample(BufferedImage png, int x, int y) {
        assertThat(png.getRaster().getNumBands()).isEqualTo(1);
        assertThat(png.getColorModel().getComponentSize(0)).isEqualTo(16);
        return png.getRaster().getSample(x, y, 0);
    }

    /** 16-bit, values 1000..3000 left to right, display range 1000..3000. */
    static ImagePlus sixteenBit() {
        ShortProcessor ip = new ShortProcessor(201, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 201; x++) {
                ip.set(x, y, 1000 + 10 * x);
            }
        }
        ImagePlus imp = new ImagePlus("16-bit", ip);
        imp.setDisplayRange(1000, 3000);
        return imp;
    }

    static byte[] sent(ImagePlus imp) {
        SourceImage source = SourceImage.of(imp, imp.getC(), GreyOptions.DEFAULT);
        return source.png(source.bounds());
    }

    @Test
    void sixteenBitGoesAsSixteenBitGreyThroughItsDisplayRange() throws Exception {
        ImagePlus imp = sixteenBit();
        // What the action sends as the init image.
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "p");
        GenerateRequest request = GenerateAction.request(options, GenerateAction.source(options, imp));
        BufferedImage png = decode(request.getInitImage().toByteArray());

        assertThat(request.getFloatOutput()).as("the result comes back as values").isTrue();
        assertThat(png.getWidth()).isEqualTo(201);
        assertThat(sample(png, 0, 0)).isZero(); // 1000: the range's bottom
        assertThat(sample(png, 200, 0)).isEqualTo(65535); // 3000: its top
        assertThat(sample(png, 100, 4)).isEqualTo(32768); // 2000: 0.5 · 65535 = 32767.5, rounded up
        assertThat(sample(png, 1, 4)).isEqualTo(328); // 1010: 0.005 · 65535 = 327.7
        // The image itself is unchanged.
        assertThat(imp.getProcessor().get(100, 4)).isEqualTo(2000);
        assertThat(imp.getBitDepth()).isEqualTo(16);
    }

    @Test
    void valuesOutsideANarrowerDisplayRangeClip() throws Exception {
        ImagePlus imp = sixteenBit();
        imp.setDisplayRange(1500, 2500);
        BufferedImage png = decode(sent(imp));
        assertThat(sample(png, 10, 0)).isZero(); // 1100 < 1500
        assertThat(sample(png, 190, 0)).isEqualTo(65535); // 2900 > 2500
        assertThat(sample(png, 100, 0)).isEqualTo(32768); // 2000
    }

    @Test
    void eightBitGoesThroughItsDisplayRangeAtSixteenBits() throws Exception {
        ByteProcessor ip = new ByteProcessor(256, 1);
        for (int x = 0; x < 256; x++) {
            ip.set(x, 0, x);
        }
        ImagePlus imp = new ImagePlus("8-bit", ip);
        imp.setDisplayRange(0, 127);
        BufferedImage png = decode(sent(imp));
        assertThat(sample(png, 0, 0)).isZero();
        assertThat(sample(png, 127, 0)).isEqualTo(65535);
        assertThat(sample(png, 200, 0)).isEqualTo(65535);
        assertThat(sample(png, 64, 0)).isEqualTo(Math.round(64 / 127.0 * 65535));
    }

    @Test
    void thirtyTwoBitGoesThroughItsDisplayRange() throws Exception {
        FloatProcessor ip = new FloatProcessor(3, 1, new float[] {-1f, 0.5f, 2f});
        ImagePlus imp = new ImagePlus("32-bit", ip);
        imp.setDisplayRange(0, 1);
        BufferedImage png = decode(sent(imp));
        assertThat(sample(png, 0, 0)).isZero();
        assertThat(sample(png, 1, 0)).isEqualTo(32768);
        assertThat(sample(png, 2, 0)).isEqualTo(65535);
    }

    @Test
    void rgbRoundTripsExactly() {
        ColorProcessor ip = new ColorProcessor(5, 3);
        for (int i = 0; i < 15; i++) {
            ip.set(i % 5, i / 5, i * 0x0a1b2c & 0xffffff);
        }
        ImagePlus imp = new ImagePlus("rgb", ip);
        SourceImage source = SourceImage.of(imp, 1, GreyOptions.DEFAULT);
        assertThat(source.grey()).isFalse();
        ColorProcessor back = ImageConversion.fromPng(sent(imp));
        assertThat((int[]) back.getPixels()).containsExactly((int[]) ip.getPixels());
    }

    /** Two 8-bit channels, red and green, display ranges 0..255. */
    static CompositeImage twoChannels() {
        ImageStack stack = new ImageStack(4, 2);
        ByteProcessor red = new ByteProcessor(4, 2);
        ByteProcessor green = new ByteProcessor(4, 2);
        red.set(1, 0, 200);
        green.set(1, 0, 100);
        green.set(2, 1, 255);
        stack.addSlice(red);
        stack.addSlice(green);
        ImagePlus plain = new ImagePlus("two channels", stack);
        plain.setDimensions(2, 1, 1);
        CompositeImage imp = new CompositeImage(plain, IJ.COMPOSITE);
        imp.setC(1);
        imp.setDisplayRange(0, 255);
        imp.setC(2);
        imp.setDisplayRange(0, 255);
        return imp;
    }

    @Test
    void aCompositeImageGoesAsItsRgbRenderingByDefault() {
        CompositeImage imp = twoChannels();

        SourceImage source = SourceImage.of(imp, imp.getC(), GreyOptions.DEFAULT);

        // Channel 1 red, channel 2 green, merged: not just the current channel.
        assertThat(source.grey()).isFalse();
        ColorProcessor rgb = (ColorProcessor) source.pixels();
        assertThat(rgb.get(1, 0) & 0xffffff).isEqualTo(200 << 16 | 100 << 8);
        assertThat(rgb.get(2, 1) & 0xffffff).isEqualTo(255 << 8);
        assertThat(rgb.get(0, 0) & 0xffffff).isZero();
    }

    @Test
    void aCompositesChannelGoesAsGreyWithItsOwnLutAndRange() throws Exception {
        CompositeImage imp = twoChannels();
        imp.setC(2);
        imp.setDisplayRange(0, 200);

        SourceImage source = SourceImage.of(imp, 1, new GreyOptions(Normalisation.DISPLAY_RANGE, true));

        // The channel asked for, not the current one: channel 1's values, range and (red) LUT.
        assertThat(source.grey()).isTrue();
        assertThat(source.channel()).isEqualTo(1);
        assertThat(source.pixels().get(1, 0)).isEqualTo(200);
        assertThat(source.range().hi()).isEqualTo(255);
        assertThat(source.pixels().getLut().getRGB(255) & 0xffffff).isEqualTo(0xff0000);
        BufferedImage png = decode(source.png(source.bounds()));
        assertThat(sample(png, 1, 0)).isEqualTo(Math.round(200 / 255.0 * 65535));
        assertThat(source.parameters("Steps: 2"))
                .isEqualTo("Steps: 2\nNormalisation: display range = 0.0 to 255.0 (channel 1)");

        SourceImage current = SourceImage.of(imp, imp.getC(), new GreyOptions(Normalisation.DISPLAY_RANGE, true));
        assertThat(current.pixels().get(2, 1)).isEqualTo(255);
        assertThat(current.range().hi()).isEqualTo(200);
    }
}
