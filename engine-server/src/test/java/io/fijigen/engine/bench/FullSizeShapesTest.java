package io.fijigen.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled full-size configs give the published models' parameter counts, so a random-weight
 * benchmark does the real model's work. (The ControlNets' names and shapes are checked on the tiny
 * fixtures' structure by {@link ArchitectureShapesTest}.)
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

    @Test
    void sdxl() throws IOException {
        long unet = count(ArchitectureShapes.unet(UNet2DConditionConfig.read(config("unet-sdxl.json"))));
        System.out.println("SDXL base UNet: " + unet + " parameters");
        assertThat(unet).isEqualTo(2_567_463_684L);
        // OpenCLIP ViT-bigG/14's text tower with its 1280 × 1280 projection.
        assertThat(count(ArchitectureShapes.clipTextWithProjection(ClipTextConfig.read(
                config("open-clip-vit-bigg.json"))))).isEqualTo(694_659_840L);
        // SD's VAE and CLIP ViT-L/14: only the VAE's scaling factor and sample size differ.
        assertThat(count(ArchitectureShapes.vae(AutoencoderKLConfig.read(config("vae-sdxl.json")))))
                .isEqualTo(83_653_863L);
        assertThat(count(ArchitectureShapes.clipText(ClipTextConfig.read(config("clip-vit-large.json")))))
                .isEqualTo(123_060_480L);
    }

    /**
     * {@code ControlNetModel.from_unet}: the UNet's input convolution, embeddings (the text_time one
     * too), down path and mid block under the same names and shapes, plus the conditioning
     * embedding and one zero convolution per residual (9 down, 1 mid).
     */
    @Test
    void sdxlControlNet() throws IOException {
        Map<String, long[]> controlNet = ArchitectureShapes.controlNet(ControlNetConfig.read(
                config("controlnet-canny-sdxl.json")));
        Map<String, long[]> unet = ArchitectureShapes.unet(UNet2DConditionConfig.read(config("unet-sdxl.json")));
        System.out.println("SDXL ControlNet: " + count(controlNet) + " parameters");

        Map<String, String> shared = new TreeMap<>();
        unet.forEach((name, shape) -> {
            if (!name.startsWith("up_blocks.") && !name.startsWith("conv_norm_out.") && !name.startsWith("conv_out.")) {
                shared.put(name, Arrays.toString(shape));
            }
        });
        Map<String, String> own = new TreeMap<>();
        controlNet.forEach((name, shape) -> {
            if (!name.startsWith("controlnet_")) {
                own.put(name, Arrays.toString(shape));
            }
        });
        assertThat(own).containsExactlyEntriesOf(shared);
        assertThat(shared).containsKeys("add_embedding.linear_1.weight",
                "down_blocks.2.attentions.1.transformer_blocks.9.ff.net.2.weight");
        assertThat(controlNet.keySet().stream().filter(n -> n.matches("controlnet_down_blocks\\.\\d+\\.weight")))
                .hasSize(9);
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
