package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Image files in and out through {@code javax.imageio} (PNG, TIFF, JPEG, BMP, GIF). */
public final class ImageFiles {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** The IEND chunk: zero length, its type, its CRC. */
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    /** Largest side accepted from a file: of images given to the engine, and of its results (the request table's). */
    public static final int MAX_SIDE = 4096;
    /** Smallest side accepted from a request: the engine's sides are multiples of 8, Canny's 3×3 kernels need room. */
    public static final int MIN_SIDE = 8;

    private ImageFiles() {}

    /**
     * An image file as a [1, 3, H, W] tensor in [0, 1], as the reference's {@code
     * Image.convert("RGB")} sees it: grey replicated to three channels, alpha dropped.
     */
    public static HostTensor readTensor(Path file) throws IOException {
        return toTensor(read(file, MAX_SIDE), file.toString());
    }

    /**
     * A decoded image as [1, 3, H, W] in [0, 1]: 8-bit images by value / 255; greyscale of more
     * bits (16-bit microscopy) by value / its maximum, without losing its precision to 8 bits.
     */
    public static HostTensor toTensor(BufferedImage image, String name) throws IOException {
        ColorModel model = image.getColorModel();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && model.getNumColorComponents() == 1;
        if (grey && model.getComponentSize(0) > 8) {
            int width = image.getWidth();
            int plane = width * image.getHeight();
            int[] samples = image.getRaster().getSamples(0, 0, width, image.getHeight(), 0, (int[]) null);
            float max = (1 << model.getComponentSize(0)) - 1;
            float[] data = new float[3 * plane];
            for (int at = 0; at < plane; at++) {
                float value = samples[at] / max;
                data[at] = value;
                data[plane + at] = value;
                data[2 * plane + at] = value;
            }
            return new HostTensor(data, new long[] {1, 3, image.getHeight(), width});
        }
        ImagePixels pixels;
        try {
            pixels = ImagePixels.of(image);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        int plane = pixels.height() * pixels.width();
        float[] data = new float[3 * plane];
        byte[] bytes = pixels.data();
        for (int at = 0; at < plane; at++) {
            for (int channel = 0; channel < 3; channel++) {
                int source = pixels.channels() == 1 ? at : 3 * at + channel;
                data[channel * plane + at] = (bytes[source] & 0xff) / 255f;
            }
        }
        return new HostTensor(data, new long[] {1, 3, pixels.height(), pixels.width()});
    }

    /**
     * Reads the first image of a file, after checking its size in the file's header, so that a huge
     * (or hostile) image is refused before its pixels are decoded into memory.
     *
     * @throws IOException when the file is missing, not an image, corrupt or larger than
     *     {@code maxSide} pixels on a side; the message names the file
     */
    public static BufferedImage read(Path file, int maxSide) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.exists(file) ? "not a file" : "not found");
        }
        ByteBuffer head = ByteBuffer.allocate(PNG_SIGNATURE.length);
        ByteBuffer tail = ByteBuffer.allocate(PNG_END.length);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.read(head);
            channel.position(Math.max(0, channel.size() - PNG_END.length)).read(tail);
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            return readFirst(input, file.toString(), maxSide, () -> checkComplete(file.toString(), head.array(),
                    tail.array()));
        }
    }

    /**
     * A PNG received as bytes (an image in a request); {@code name} is how messages refer to it
     * ("init_image"). The API takes PNG only: its header (signature, IHDR) is read first, and an
     * image of another format or with a side outside {@code MIN_SIDE..maxSide} is refused before
     * anything is decoded.
     */
    public static BufferedImage decode(byte[] bytes, String name, int maxSide) throws IOException {
        checkSides(PngHeader.of(ByteBuffer.wrap(bytes), name), name, maxSide);
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            return readFirst(input, name, maxSide, () -> checkComplete(name,
                    Arrays.copyOf(bytes, Math.min(bytes.length, PNG_SIGNATURE.length)),
                    Arrays.copyOfRange(bytes, Math.max(0, bytes.length - PNG_END.length), bytes.length)));
        }
    }

    /**
     * {@link #decode(byte[], String, int)} of bytes still in a message's buffer: the header is read
     * there, so bytes that are not an acceptable PNG are refused without being copied (a 60 MiB
     * request of junk costs nothing beyond what the transport already holds).
     */
    public static BufferedImage decode(ByteBuffer png, String name, int maxSide) throws IOException {
        checkSides(PngHeader.of(png.duplicate(), name), name, maxSide);
        byte[] bytes = new byte[png.remaining()];
        png.duplicate().get(bytes);
        return decode(bytes, name, maxSide);
    }

    private static void checkSides(PngHeader header, String name, int maxSide) throws IOException {
        if (header.width() < MIN_SIDE || header.height() < MIN_SIDE || header.width() > maxSide
                || header.height() > maxSide) {
            throw new IOException(name + " is " + header.width() + "×" + header.height() + " pixels; sides from "
                    + MIN_SIDE + " to " + maxSide + " are accepted here");
        }
    }

    /**
     * The sides in a PNG's IHDR chunk, which the format requires first, as unsigned 32-bit values. A
     * PNG pixel is at most 4 samples of 16 bits, so the sides bound the decoded size.
     */
    private record PngHeader(long width, long height) {
        private static final int IHDR_END = PNG_SIGNATURE.length + 8 + 13;

        /** Reads from {@code bytes}' position on (big-endian, as PNG is). */
        static PngHeader of(ByteBuffer bytes, String name) throws IOException {
            byte[] signature = new byte[Math.min(bytes.remaining(), PNG_SIGNATURE.length)];
            bytes.get(signature);
            if (!Arrays.equals(signature, PNG_SIGNATURE)) {
                throw new IOException(name + ": not a PNG (images are taken as PNG only)");
            }
            if (bytes.remaining() < IHDR_END - PNG_SIGNATURE.length) {
                throw new IOException(name + ": corrupt or unreadable image: a PNG cut short in its header");
            }
            int length = bytes.getInt();
            int type = bytes.getInt();
            if (length != 13 || type != ('I' << 24 | 'H' << 16 | 'D' << 8 | 'R')) {
                throw new IOException(name + ": corrupt image: a PNG must start with its IHDR chunk");
            }
            return new PngHeader(Integer.toUnsignedLong(bytes.getInt()), Integer.toUnsignedLong(bytes.getInt()));
        }
    }

    /** A check of the whole file that runs once its size is known to be acceptable. */
    @FunctionalInterface
    private interface Check {
        void run() throws IOException;
    }

    private static BufferedImage readFirst(ImageInputStream input, String name, int maxSide, Check complete)
            throws IOException {
        Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
        if (readers == null || !readers.hasNext()) {
            throw new IOException(name + ": not an image in a format this reader knows (PNG, TIFF, JPEG, BMP, GIF)");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(input, true, true);
            return decode(name, reader, maxSide, complete);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage decode(String file, ImageReader reader, int maxSide, Check complete)
            throws IOException {
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
        if (width > maxSide || height > maxSide) {
            throw new IOException(file + " is " + width + "×" + height + " pixels; sides above "
                    + maxSide + " are not supported");
        }
        complete.run();
        try {
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
    }

    /**
     * A PNG must end with its IEND chunk. ImageIO decodes a PNG cut short after its last pixel row
     * without complaint, so a truncated upload would pass as an image: here it does not.
     */
    private static void checkComplete(String name, byte[] head, byte[] tail) throws IOException {
        if (Arrays.equals(head, PNG_SIGNATURE) && !Arrays.equals(tail, PNG_END)) {
            throw new IOException(name + ": corrupt image: truncated PNG (it does not end with its IEND chunk)");
        }
    }

    /** Decoders report damaged data with IIOException and, for some damage, runtime exceptions. */
    private static IOException damaged(String file, Exception e) {
        return new IOException(file + ": corrupt or unreadable image: " + e.getMessage(), e);
    }

    /**
     * An image file as PNG bytes, as requests carry images: a PNG as it is, another format (TIFF,
     * JPEG, BMP, GIF) decoded and written as PNG, which keeps its samples (16-bit grey included).
     */
    public static byte[] pngBytes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (Arrays.equals(bytes, 0, Math.min(bytes.length, PNG_SIGNATURE.length), PNG_SIGNATURE, 0,
                PNG_SIGNATURE.length)) {
            return bytes;
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(read(file, MAX_SIDE), "png", png)) {
            throw new IOException(file + ": its samples cannot be written as PNG, which requests carry");
        }
        return png.toByteArray();
    }

    /** Writes an image as PNG (a grey image stays 8-bit grey). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        try (OutputStream output = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", output)) {
                throw new IOException(file + ": no PNG writer for this image type");
            }
        }
    }
}
