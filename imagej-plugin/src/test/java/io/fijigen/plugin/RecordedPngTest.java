package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.fijigen.proto.client.JobListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/** A result saved as a PNG keeps its record, which ImageJ's own PNG writer drops. */
class RecordedPngTest extends LoopbackClientTestBase {

    @Test
    void aResultsPngKeepsItsParametersRequestAndProvenance(@TempDir Path folder) throws Exception {
        Inserted inserted = new GenerateAction(client).run(
                GenerateOptions.txt2img("tiny-sd15", "a cell, µm scale").withSize(64, 48).withSteps(2).withSeed(6),
                null, JobListener.NONE);
        Path file = folder.resolve("cell.png");

        RecordedPng.write(inserted.image(), file);

        Map<String, String> texts = texts(file);
        assertThat(texts.get("parameters")).isEqualTo(inserted.image().getProp("fijigen.parameters"))
                .startsWith("a cell, µm scale\n").contains("Seed: 6").contains("Engine: fijigen ");
        assertThat(texts.get(JobRecord.REQUEST_PROPERTY)).contains("seed: 6");
        assertThat(texts.get(JobRecord.PROVENANCE_PROPERTY)).contains("engine_version");
        // The pixels are the image's.
        ImagePlus reopened = IJ.openImage(file.toString());
        TestImages.assertSameRgb((int[]) reopened.getProcessor().convertToRGB().getPixels(),
                (int[]) inserted.image().getProcessor().getPixels(), 64);
        assertThat(Files.exists(folder.resolve("cell.png.part"))).isFalse();
    }

    @Test
    void a16BitResultKeeps16BitValuesAndA32BitOneIsRefused(@TempDir Path folder) throws Exception {
        ShortProcessor values = new ShortProcessor(4, 2, new short[] {0, 1, 1000, 4095, 20000, -1, 7, 300}, null);
        ImagePlus grey = new ImagePlus("grey", values);
        grey.setProp("fijigen.parameters", "a cell\nSteps: 2");

        RecordedPng.write(grey, folder.resolve("grey.png"));

        ImagePlus reopened = IJ.openImage(folder.resolve("grey.png").toString());
        assertThat(reopened.getBitDepth()).isEqualTo(16);
        assertThat((short[]) reopened.getProcessor().getPixels()).isEqualTo((short[]) values.getPixels());
        ImagePlus floats = new ImagePlus("floats", new FloatProcessor(2, 2));
        floats.setProp("fijigen.parameters", "x");
        assertThatThrownBy(() -> RecordedPng.write(floats, folder.resolve("f.png"))).hasMessageContaining("save it as TIFF");
        assertThatThrownBy(() -> RecordedPng.write(new ImagePlus("plain", new FloatProcessor(2, 2)),
                folder.resolve("p.png"))).hasMessageContaining("has no fijigen record");
    }

    private static Map<String, String> texts(Path png) throws Exception {
        Map<String, String> texts = new HashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            NodeList entries = root.getElementsByTagName("iTXtEntry");
            for (int i = 0; i < entries.getLength(); i++) {
                IIOMetadataNode entry = (IIOMetadataNode) entries.item(i);
                texts.put(entry.getAttribute("keyword"), entry.getAttribute("text"));
            }
            reader.dispose();
        }
        return texts;
    }
}
