package io.fijigen.engine.image;

import io.fijigen.engine.pipeline.HostTensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes generated images as 8-bit RGB PNGs with the generation parameters in a {@code
 * parameters} text chunk, where web UIs and their readers look for them.
 */
public final class PngWriter {
    public static final String PARAMETERS_KEY = "parameters";

    private PngWriter() {}

    /**
     * One image of an [N, H, W, 3] batch in [0, 1] as 8-bit RGB, rounded as the reference's
     * {@code numpy_to_pil} rounds ({@code (x·255).round()}, half to even).
     */
    public static BufferedImage toImage(HostTensor images, int index) {
        int height = (int) images.dim(1);
        int width = (int) images.dim(2);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        float[] data = images.data();
        int base = index * height * width * 3;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = base + (y * width + x) * 3;
                image.setRGB(x, y, (toByte(data[at]) << 16) | (toByte(data[at + 1]) << 8) | toByte(data[at + 2]));
            }
        }
        return image;
    }

    public static void write(BufferedImage image, String parameters, Path file) throws IOException {
        try (OutputStream output = Files.newOutputStream(file)) {
            write(image, parameters, output);
        }
    }

    /** The PNG as bytes, for a network reply. */
    public static byte[] encode(BufferedImage image, String parameters) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(image, parameters, bytes);
        return bytes.toByteArray();
    }

    private static void write(BufferedImage image, String parameters, OutputStream stream) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(stream)) {
            writer.setOutput(output);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode root = new IIOMetadataNode(metadata.getNativeMetadataFormatName());
            root.appendChild(textChunk(parameters));
            metadata.mergeTree(metadata.getNativeMetadataFormatName(), root);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    /** The {@code parameters} text chunk of a PNG, or null when it has none. */
    public static String readParameters(Path file) throws IOException {
        try (var input = ImageIO.createImageInputStream(file.toFile())) {
            var reader = ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(input, true, false);
                IIOMetadata metadata = reader.getImageMetadata(0);
                var root = (IIOMetadataNode) metadata.getAsTree(metadata.getNativeMetadataFormatName());
                for (String chunk : new String[] {"tEXtEntry", "iTXtEntry"}) {
                    var entries = root.getElementsByTagName(chunk);
                    for (int i = 0; i < entries.getLength(); i++) {
                        var entry = (IIOMetadataNode) entries.item(i);
                        if (PARAMETERS_KEY.equals(entry.getAttribute("keyword"))) {
                            return entry.getAttribute(chunk.equals("tEXtEntry") ? "value" : "text");
                        }
                    }
                }
                return null;
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * tEXt holds Latin-1 only; a prompt in another script goes into an iTXt chunk (UTF-8) under
     * the same keyword, as web UIs do.
     */
    private static IIOMetadataNode textChunk(String parameters) {
        boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(parameters);
        IIOMetadataNode entry = new IIOMetadataNode(latin1 ? "tEXtEntry" : "iTXtEntry");
        entry.setAttribute("keyword", PARAMETERS_KEY);
        if (latin1) {
            entry.setAttribute("value", parameters);
        } else {
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", parameters);
        }
        IIOMetadataNode chunk = new IIOMetadataNode(latin1 ? "tEXt" : "iTXt");
        chunk.appendChild(entry);
        return chunk;
    }

    private static int toByte(float value) {
        return (int) Math.rint(Math.min(1f, Math.max(0f, value)) * 255f);
    }
}
