package io.fijigen.engine.model;

import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A pipeline model's configs, read without its weights: enough to tell what the model is, what
 * size it draws and what a request on it may ask for, before a job loads it.
 *
 * @param maxNoiseLevel the x4 upscaler's noise-level limit (its model_index.json), null for others
 */
public record PipelineConfigs(UNet2DConditionConfig unet, AutoencoderKLConfig vae, ClipTextConfig textEncoder,
        SchedulerConfig scheduler, Integer maxNoiseLevel) {

    /** From a diffusers folder's {@code unet/} and {@code vae/} configs, or inferred from a single file's header. */
    public static PipelineConfigs read(Path path, Optional<String> predictionType) throws IOException {
        if (SingleFileCheckpoint.isSingleFile(path)) {
            SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(path, predictionType);
            return new PipelineConfigs(checkpoint.unetConfig(), checkpoint.vaeConfig(), checkpoint.textEncoderConfig(),
                    checkpoint.scheduler(), null);
        }
        ModelFolder folder = ModelFolder.open(path);
        return new PipelineConfigs(UNet2DConditionConfig.read(folder.component("unet").resolve("config.json")),
                AutoencoderKLConfig.read(folder.component("vae").resolve("config.json")),
                ClipTextConfig.read(folder.component("text_encoder").resolve("config.json")),
                SchedulerConfig.read(folder.component("scheduler").resolve("scheduler_config.json")),
                folder.index().maxNoiseLevel());
    }

    /**
     * The side the model draws when a request gives none, as diffusers' pipelines default height and
     * width: {@code unet.config.sample_size * vae_scale_factor} (512 for SD 1.5, 768 for SD 2 768-v).
     */
    public int nativeSize() {
        return unet.sampleSize() * vae.downscale();
    }
}
