package io.fijigen.plugin;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.layers.LayerInserter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * A result saved as a PNG that keeps its record, which ImageJ's own PNG writer drops (it writes no
 * text): the parameters text in an {@code iTXt} chunk {@code parameters} (the key the web UIs write
 * and read, so their PNG info readers show it), and the request and provenance as chunks
 * {@value JobRecord#REQUEST_PROPERTY} and {@value JobRecord#PROVENANCE_PROPERTY}. The pixels are the
 * current slice's values: RGB, or 8- or 16-bit grey (a 16-bit PNG keeps 16-bit data); 32-bit images
 * have no PNG form and are refused (TIFF keeps them, and the record).
 */
public final class RecordedPng {
    private RecordedPng() {}

    /**
     * Writes {@code imp}'s current slice and record to {@code file} (through a temporary file, so a
     * failure leaves no half-written PNG).
     *
     * @throws IllegalArgumentException for a 32-bit image, or an image without a fijigen record
     */
    public static void write(ImagePlus imp, Path file) throws IOException {
        Map<String, String> texts = texts(imp);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(imp.getTitle() + " has no fijigen record to keep: save it as ImageJ does");
        }
        BufferedImage image = image(imp.getProcessor(), imp.getTitle());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                writer.getDefaultWriteParam());
        IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
        for (Map.Entry<String, String> text : texts.entrySet()) {
            IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
            entry.setAttribute("keyword", text.getKey());
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", text.getValue());
            itxt.appendChild(entry);
        }
        IIOMetadataNode root = new IIOMetadataNode(metadata.getNativeMetadataFormatName());
        root.appendChild(itxt);
        metadata.mergeTree(metadata.getNativeMetadataFormatName(), root);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(part))) {
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The record's texts by chunk keyword: the parameters (else the Info), the request, the provenance. */
    static Map<String, String> texts(ImagePlus imp) {
        Map<String, String> texts = new LinkedHashMap<>();
        String parameters = imp.getProp(LayerInserter.PARAMETERS_PROPERTY);
        if (parameters == null || parameters.isEmpty()) {
            parameters = imp.getInfoProperty();
        }
        if (parameters != null && !parameters.isEmpty()) {
            texts.put("parameters", parameters);
        }
        for (String key : new String[] {JobRecord.REQUEST_PROPERTY, JobRecord.PROVENANCE_PROPERTY}) {
            String value = imp.getProp(key);
            if (value != null && !value.isEmpty()) {
                texts.put(key, value);
            }
        }
        return texts;
    }

    private static BufferedImage image(ImageProcessor ip, String title) {
        int width = ip.getWidth();
        int height = ip.getHeight();
        if (ip instanceof ColorProcessor) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            image.setRGB(0, 0, width, height, (int[]) ip.getPixels(), 0, width);
            return image;
        }
        if (ip instanceof ByteProcessor) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, width, height, ip.getPixels());
            return image;
        }
        if (ip instanceof ShortProcessor) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
            image.getRaster().setDataElements(0, 0, width, height, ip.getPixels());
            return image;
        }
        throw new IllegalArgumentException(title + " is 32-bit, which PNG cannot hold: save it as TIFF (File › Save"
                + " As › Tiff...), which keeps the record too");
    }
}
