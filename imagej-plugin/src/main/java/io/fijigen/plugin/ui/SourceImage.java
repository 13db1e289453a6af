package io.fijigen.plugin.ui;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import io.fijigen.proto.v1.Tensor;
import java.awt.Rectangle;

/**
 * The slice of an image a job starts from, as the engine is sent it, and the way the job's results
 * come back to it. RGB images, and composite images as their RGB rendering, go and come back as 8-bit
 * RGB, as ImageJ shows them. Grey ones (8-, 16- and 32-bit images, or one channel of a composite)
 * go as 16-bit grey through their {@link Normalisation}, resolved once for the whole slice (so the
 * jobs on a slice share lo and hi whichever part of it they send), and come back through its inverse
 * in the slice's own type, LUT and display range (see {@link GreyConversion}). Results of either
 * kind carry the image's calibration.
 */
public final class SourceImage {
    private final ImagePlus imp;
    /** The slice: an RGB rendering, or the grey values with the LUT and display range they show with. */
    private final ImageProcessor pixels;
    /** The composite's channel sent as grey (from 1); 0: none. */
    private final int channel;
    /** How grey values map to the engine's 0..1; null for RGB. */
    private final ValueRange range;

    private SourceImage(ImagePlus imp, ImageProcessor pixels, int channel, ValueRange range) {
        this.imp = imp;
        this.pixels = pixels;
        this.channel = channel;
        this.range = range;
    }

    /**
     * The current slice and frame of {@code imp} as {@code options} send it.
     *
     * @param channel with {@link GreyOptions#channelAsGrey()}, the channel of a composite image
     *     that goes as grey, from 1 (the current one: {@code imp.getC()}); ignored for other images
     * @throws IllegalArgumentException for a channel the image does not have, or percentiles of a
     *     slice that is NaN throughout
     */
    public static SourceImage of(ImagePlus imp, int channel, GreyOptions options) {
        if (imp.isComposite() && options.channelAsGrey()) {
            if (channel < 1 || channel > imp.getNChannels()) {
                throw new IllegalArgumentException("channel " + channel + " is outside 1.." + imp.getNChannels()
                        + " of " + imp.getTitle());
            }
            LUT lut = ((CompositeImage) imp).getChannelLut(channel);
            ImageProcessor values = imp.getStack().getProcessor(imp.getStackIndex(channel, imp.getZ(), imp.getT()));
            values.setColorModel(lut);
            values.setMinAndMax(lut.min, lut.max);
            return grey(imp, values, channel, options.normalisation());
        }
        if (imp.isComposite() || imp.getProcessor() instanceof ColorProcessor) {
            return new SourceImage(imp, ImageConversion.toRgb(imp), 0, null);
        }
        return grey(imp, imp.getProcessor(), 0, options.normalisation());
    }

    private static SourceImage grey(ImagePlus imp, ImageProcessor values, int channel, Normalisation normalisation) {
        return new SourceImage(imp, values, channel, normalisation.resolve(values, values.getMin(), values.getMax()));
    }

    /** Whether it goes as grey (and needs the engine's float output back). */
    public boolean grey() {
        return range != null;
    }

    /** The composite's channel it is (from 1); 0 when it is a whole image. */
    public int channel() {
        return channel;
    }

    /** The slice as sent: an RGB copy, or the grey values themselves (not to be changed). */
    public ImageProcessor pixels() {
        return pixels;
    }

    /** The whole slice, as a region of it. */
    public Rectangle bounds() {
        return new Rectangle(pixels.getWidth(), pixels.getHeight());
    }

    /** How its grey values map to the engine's 0..1; null for RGB. */
    public ValueRange range() {
        return range;
    }

    /** {@code region} of the slice as the engine takes it: an 8-bit RGB or a 16-bit grey PNG. */
    public byte[] png(Rectangle region) {
        return png(region, 16);
    }

    /** {@code region} for the engine's Canny, which takes 8 bits: RGB, or the grey values at 8 bits. */
    public byte[] eightBitPng(Rectangle region) {
        return png(region, 8);
    }

    private byte[] png(Rectangle region, int greyBits) {
        ImageProcessor crop = crop(pixels, region);
        return grey() ? GreyConversion.toPng(crop, range, greyBits) : ImageConversion.toPng((ColorProcessor) crop);
    }

    /** {@code region} of {@code ip}, a copy. */
    private static ImageProcessor crop(ImageProcessor ip, Rectangle region) {
        // A processor of its own over the same pixels: the image's own keeps its selection and mask.
        ImageProcessor view = ip.createProcessor(ip.getWidth(), ip.getHeight());
        view.setPixels(ip.getPixels());
        view.setRoi(region);
        return view.crop();
    }

    /**
     * Image {@code index} of a grey job's float output ({@code Result.pixels}) in the slice's type,
     * LUT and display range.
     */
    public ImageProcessor fromPixels(Tensor floatPixels, int index) {
        return GreyConversion.fromPixels(floatPixels, index, range, pixels);
    }

    /** The engine's parameters text, with the normalisation's line added for a grey job. */
    public String parameters(String engineParameters) {
        if (!grey()) {
            return engineParameters;
        }
        String line = range.parametersLine() + (channel > 0 ? " (channel " + channel + ")" : "");
        return engineParameters.isEmpty() ? line : engineParameters.stripTrailing() + "\n" + line;
    }

    /**
     * Gives {@code result}, a new image made from {@code region} of the slice, the slice's calibration
     * (the pixel size scaled by the result's size over the region's, e.g. divided by 4 for Upscale x4,
     * and the origin moved and scaled with it, so that a place keeps its physical coordinates), and a
     * grey result its LUT and display range.
     */
    public void carryOver(ImagePlus result, Rectangle region) {
        double scaleX = (double) result.getWidth() / region.width;
        double scaleY = (double) result.getHeight() / region.height;
        Calibration calibration = imp.getCalibration().copy();
        calibration.pixelWidth /= scaleX;
        calibration.pixelHeight /= scaleY;
        calibration.xOrigin = (calibration.xOrigin - region.x) * scaleX;
        calibration.yOrigin = (calibration.yOrigin - region.y) * scaleY;
        if (!grey()) {
            // A 16-bit composite's value calibration (e.g. signed 16-bit) means nothing for RGB.
            calibration.disableDensityCalibration();
        }
        result.setCalibration(calibration);
        if (grey()) {
            result.setLut(pixels.getLut());
            result.setDisplayRange(pixels.getMin(), pixels.getMax());
        }
    }
}
