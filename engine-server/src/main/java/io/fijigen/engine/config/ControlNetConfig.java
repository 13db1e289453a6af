package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * diffusers' {@code ControlNetModel} config: a UNet's down path and mid block (read with the
 * same rules as {@link UNet2DConditionConfig}) plus the conditioning embedding.
 *
 * @param conditioningEmbeddingOutChannels channels of the small conv stack that embeds the
 *     control image down to the latent grid
 * @param bgrConditioning the control image is expected in BGR order
 */
public record ControlNetConfig(
        UNet2DConditionConfig unet,
        int conditioningChannels,
        int[] conditioningEmbeddingOutChannels,
        boolean bgrConditioning) {

    public static ControlNetConfig read(Path file) throws IOException {
        return from(ConfigFile.read(file));
    }

    /** From a file or built in memory (a single-file checkpoint's inferred config). */
    public static ControlNetConfig from(ConfigFile config) {
        String order = config.choice("controlnet_conditioning_channel_order", "rgb", "bgr");
        int[] embeddingChannels = config.has("conditioning_embedding_out_channels")
                ? config.intList("conditioning_embedding_out_channels")
                : new int[] {16, 32, 96, 256};
        return new ControlNetConfig(
                UNet2DConditionConfig.from(config, false),
                config.intValue("conditioning_channels", 3),
                embeddingChannels,
                order.equals("bgr"));
    }
}
