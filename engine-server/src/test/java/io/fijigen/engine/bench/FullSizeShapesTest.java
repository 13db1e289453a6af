package io.fijigen.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled full-size configs give the published models' parameter counts, so a random-weight
 * benchmark does the real model's work. (The ControlNet's names and shapes are checked on the tiny
 * fixture's structure by {@link ArchitectureShapesTest}.)
 */
class FullSizeShapesTest {
    @TempDir
    Path dir;

    @Test
    void sd15() throws IOException {
        assertThat(count(ArchitectureShapes.unet(UNet2DConditionConfig.read(config("unet-sd15.json")))))
                .isEqualTo(859_520_964L);
        assertThat(count(ArchitectureShapes.vae(AutoencoderKLConfig.read(config("vae-sd.json"))))).isEqualTo(83_653_863L);
        assertThat(count(ArchitectureShapes.clipText(ClipTextConfig.read(config("clip-vit-large.json")))))
                .isEqualTo(123_060_480L);
    }

    @Test
    void sd21() throws IOException {
        assertThat(count(ArchitectureShapes.unet(UNet2DConditionConfig.read(config("unet-sd21.json")))))
                .isEqualTo(865_910_724L);
        assertThat(count(ArchitectureShapes.clipText(ClipTextConfig.read(config("open-clip-vit-huge.json")))))
                .isEqualTo(340_387_840L);
    }

    @Test
    void inpainting() throws IOException {
        // Five more input channels in conv_in's 3×3 kernel: 320·5·9.
        assertThat(count(ArchitectureShapes.unet(UNet2DConditionConfig.read(config("unet-sd15-inpaint.json")))))
                .isEqualTo(859_520_964L + 320 * 5 * 9);
    }

    private Path config(String resource) throws IOException {
        Path file = dir.resolve(resource);
        try (InputStream in = Architecture.class.getResourceAsStream(resource)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static long count(Map<String, long[]> shapes) {
        long total = 0;
        for (long[] shape : shapes.values()) {
            long n = 1;
            for (long dim : shape) {
                n *= dim;
            }
            total += n;
        }
        return total;
    }
}
