package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        return ImagePixels.ofNhwc(images, index).rgbImage();
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
}
