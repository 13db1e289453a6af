package io.fijigen.plugin.ui;

import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.fijigen.proto.v1.Tensor;
import java.awt.image.BufferedImage;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Grey values to the engine and back, through a {@link ValueRange}. Forward: a grey PNG of
 * {@code round(clamp((v − lo) / (hi − lo), 0, 1) · max)}, 16 bits (max 65535), which the engine
 * reads at full precision (value / 65535), or 8 bits where the engine takes no more (Canny).
 * Back: the engine's float RGB output in [0, 1] → its luma, Y = 0.299 R + 0.587 G + 0.114 B
 * (ITU-R BT.601, the weights of PIL's {@code convert("L")}, which a Python reference would use) →
 * lo + Y · (hi − lo) → the source's type: 8- and 16-bit rounded and clamped to the type's range,
 * 32-bit as it is.
 */
public final class GreyConversion {
    private static final double RED = 0.299;
    private static final double GREEN = 0.587;
    private static final double BLUE = 0.114;

    private GreyConversion() {}

    /** {@code values} (8, 16 or 32 bits) as a grey PNG of {@code bits} (8 or 16) through {@code range}. */
    public static byte[] toPng(ImageProcessor values, ValueRange range, int bits) {
        int max = (1 << bits) - 1;
        int count = values.getPixelCount();
        int[] samples = new int[count];
        for (int i = 0; i < count; i++) {
            samples[i] = (int) Math.round(range.toUnit(values.getf(i)) * max);
        }
        BufferedImage image = new BufferedImage(values.getWidth(), values.getHeight(),
                bits == 16 ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, values.getWidth(), values.getHeight(), 0, samples);
        return ImageConversion.encode(image);
    }

    /**
     * Image {@code index} of the engine's float output ({@code Result.pixels}: float32 [images,
     * height, width, 3] in [0, 1]) as grey values in {@code like}'s type, LUT and display range.
     *
     * @throws IllegalArgumentException when the tensor is no such batch
     */
    public static ImageProcessor fromPixels(Tensor pixels, int index, ValueRange range, ImageProcessor like) {
        List<Long> shape = pixels.getShapeList();
        if (shape.size() != 4 || shape.get(3) != 3 || index >= shape.get(0)
                || pixels.getData().size() != 4L * shape.get(0) * shape.get(1) * shape.get(2) * 3) {
            throw new IllegalArgumentException("the engine's float pixels (shape " + shape + ", "
                    + pixels.getData().size() + " bytes) hold no image " + index + " of [images, height, width, 3]");
        }
        int height = shape.get(1).intValue();
        int width = shape.get(2).intValue();
        FloatBuffer rgb = pixels.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        rgb.position(index * height * width * 3);
        ImageProcessor grey = like.createProcessor(width, height);
        for (int i = 0; i < width * height; i++) {
            store(grey, i % width, i / width, range.fromUnit(luma(rgb.get(), rgb.get(), rgb.get())));
        }
        grey.setColorModel(like.getColorModel());
        grey.setMinAndMax(like.getMin(), like.getMax());
        return grey;
    }

    /** The ITU-R BT.601 luma of an RGB colour, in the colour's own units. */
    public static double luma(double red, double green, double blue) {
        return RED * red + GREEN * green + BLUE * blue;
    }

    /** Writes {@code value} into {@code grey}: rounded and clamped to 8 or 16 bits, a 32-bit image's as it is. */
    public static void store(ImageProcessor grey, int x, int y, double value) {
        double stored = value;
        // setf stores integer types by truncation: the rounding is ours.
        if (grey instanceof ByteProcessor || grey instanceof ShortProcessor) {
            stored = Math.max(0, Math.min(grey instanceof ByteProcessor ? 255 : 65535, Math.round(value)));
        }
        grey.setf(x, y, (float) stored);
    }
}
