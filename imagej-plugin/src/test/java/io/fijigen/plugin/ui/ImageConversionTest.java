package io.fijigen.plugin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
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

class ImageConversionTest {

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
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

    @Test
    void sixteenBitGoesThroughItsDisplayRange() throws Exception {
        ImagePlus imp = sixteenBit();
        // What the action sends as the init image.
        GenerateRequest request = GenerateAction.request(GenerateOptions.img2img("tiny-sd15", "p"), imp);
        BufferedImage png = decode(request.getInitImage().toByteArray());

        assertThat(png.getWidth()).isEqualTo(201);
        assertThat(png.getRaster().getNumBands()).isEqualTo(3);
        assertThat(png.getRGB(0, 0) & 0xffffff).isEqualTo(0x000000); // 1000: the range's bottom
        assertThat(png.getRGB(200, 0) & 0xffffff).isEqualTo(0xffffff); // 3000: its top
        int mid = png.getRGB(100, 4) & 0xff; // 2000
        assertThat(mid).isBetween(126, 129);
        assertThat(png.getRGB(100, 4) & 0xffffff).isEqualTo(mid * 0x010101);
        // The image itself is unchanged.
        assertThat(imp.getProcessor().get(100, 4)).isEqualTo(2000);
        assertThat(imp.getBitDepth()).isEqualTo(16);
    }

    @Test
    void aNarrowerDisplayRangeSaturates() throws Exception {
        ImagePlus imp = sixteenBit();
        imp.setDisplayRange(1500, 2500);
        BufferedImage png = decode(ImageConversion.toPng(imp));
        assertThat(png.getRGB(10, 0) & 0xff).isEqualTo(0); // 1100 < 1500
        assertThat(png.getRGB(190, 0) & 0xff).isEqualTo(255); // 2900 > 2500
        assertThat(png.getRGB(100, 0) & 0xff).isBetween(126, 129); // 2000
    }

    @Test
    void eightBitGoesThroughItsDisplayRange() throws Exception {
        ij.process.ByteProcessor ip = new ij.process.ByteProcessor(256, 1);
        for (int x = 0; x < 256; x++) {
            ip.set(x, 0, x);
        }
        ImagePlus imp = new ImagePlus("8-bit", ip);
        imp.setDisplayRange(0, 127);
        BufferedImage png = decode(ImageConversion.toPng(imp));
        assertThat(png.getRGB(0, 0) & 0xff).isEqualTo(0);
        assertThat(png.getRGB(127, 0) & 0xff).isEqualTo(255);
        assertThat(png.getRGB(200, 0) & 0xff).isEqualTo(255);
        assertThat(png.getRGB(64, 0) & 0xff).isBetween(127, 130);
    }

    @Test
    void thirtyTwoBitGoesThroughItsDisplayRange() throws Exception {
        FloatProcessor ip = new FloatProcessor(3, 1, new float[] {-1f, 0.5f, 2f});
        ImagePlus imp = new ImagePlus("32-bit", ip);
        imp.setDisplayRange(0, 1);
        BufferedImage png = decode(ImageConversion.toPng(imp));
        assertThat(png.getRGB(0, 0) & 0xff).isEqualTo(0);
        assertThat(png.getRGB(1, 0) & 0xff).isBetween(126, 129);
        assertThat(png.getRGB(2, 0) & 0xff).isEqualTo(255);
    }

    @Test
    void rgbRoundTripsExactly() {
        ColorProcessor ip = new ColorProcessor(5, 3);
        for (int i = 0; i < 15; i++) {
            ip.set(i % 5, i / 5, i * 0x0a1b2c & 0xffffff);
        }
        ImagePlus imp = new ImagePlus("rgb", ip);
        ColorProcessor back = ImageConversion.fromPng(ImageConversion.toPng(imp));
        assertThat((int[]) back.getPixels()).containsExactly((int[]) ip.getPixels());
    }

    @Test
    void aCompositeImageGoesAsItsRgbRendering() {
        ij.ImageStack stack = new ij.ImageStack(4, 2);
        ij.process.ByteProcessor red = new ij.process.ByteProcessor(4, 2);
        ij.process.ByteProcessor green = new ij.process.ByteProcessor(4, 2);
        red.set(1, 0, 200);
        green.set(1, 0, 100);
        green.set(2, 1, 255);
        stack.addSlice(red);
        stack.addSlice(green);
        ImagePlus plain = new ImagePlus("two channels", stack);
        plain.setDimensions(2, 1, 1);
        ij.CompositeImage imp = new ij.CompositeImage(plain, ij.IJ.COMPOSITE);
        imp.setC(1);
        imp.setDisplayRange(0, 255);
        imp.setC(2);
        imp.setDisplayRange(0, 255);

        ColorProcessor rgb = ImageConversion.toRgb(imp);

        // Channel 1 red, channel 2 green, merged: not just the current channel.
        assertThat(rgb.get(1, 0) & 0xffffff).isEqualTo(200 << 16 | 100 << 8);
        assertThat(rgb.get(2, 1) & 0xffffff).isEqualTo(255 << 8);
        assertThat(rgb.get(0, 0) & 0xffffff).isZero();
    }
}
