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
 * @param textEncoder2 SDXL's second text encoder's, null for {@link ModelFamily#SD}
 * @param maxNoiseLevel the x4 upscaler's noise-level limit (its model_index.json), null for others
 */
public record PipelineConfigs(ModelFamily family, UNet2DConditionConfig unet, AutoencoderKLConfig vae,
        ClipTextConfig textEncoder, ClipTextConfig textEncoder2, SchedulerConfig scheduler, Integer maxNoiseLevel) {

    /**
     * From a diffusers folder's component configs, or inferred from a single file's header; SDXL's
     * with its second text encoder's.
     */
    public static PipelineConfigs read(Path path, Optional<String> predictionType) throws IOException {
        if (SingleFileCheckpoint.isSingleFile(path)) {
            SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(path, predictionType);
            ModelFamily family = checkpoint.family();
            return new PipelineConfigs(family, checkpoint.unetConfig(), checkpoint.vaeConfig(),
                    checkpoint.textEncoderConfig(), family == ModelFamily.SDXL ? checkpoint.textEncoder2Config() : null,
                    checkpoint.scheduler(), null);
        }
        ModelFolder folder = ModelFolder.open(path);
        ModelFamily family = folder.family();
        return new PipelineConfigs(family, UNet2DConditionConfig.read(folder.component("unet").resolve("config.json")),
                AutoencoderKLConfig.read(folder.component("vae").resolve("config.json")),
                ClipTextConfig.read(folder.component("text_encoder").resolve("config.json")),
                family == ModelFamily.SDXL
                        ? ClipTextConfig.read(folder.component("text_encoder_2").resolve("config.json"))
                        : null,
                SchedulerConfig.read(folder.component("scheduler").resolve("scheduler_config.json")),
                folder.index().maxNoiseLevel());
    }

    /** The largest clip_skip a request may ask of this model ({@link ModelFamily#maxClipSkip}). */
    public int maxClipSkip() {
        return family.maxClipSkip(textEncoder, textEncoder2);
    }

    /**
     * The side the model draws when a request gives none, as diffusers' pipelines default height and
     * width: {@code unet.config.sample_size * vae_scale_factor} (512 for SD 1.5, 768 for SD 2 768-v).
     */
    public int nativeSize() {
        return unet.sampleSize() * vae.downscale();
    }
}
