package io.fijigen.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every fixture config reads, and the values the networks depend on resolve as the reference resolves them. */
class FixtureConfigsTest {

    private static Path file(String model, String component, String name) {
        return ParityFixtures.model(model).resolve(component).resolve(name);
    }

    @Test
    void sd15UNetHeadsAreTheAttentionHeadDimOnEveryLevel() throws Exception {
        UNet2DConditionConfig unet = UNet2DConditionConfig.read(file("tiny-sd15", "unet", "config.json"));
        assertThat(unet.attentionHeads()).containsExactly(8, 8, 8, 8);
        assertThat(unet.blockOutChannels()).containsExactly(32, 32, 64, 64);
        assertThat(unet.timeEmbedDim()).isEqualTo(128);
        assertThat(unet.useLinearProjection()).isFalse();
        assertThat(unet.numClassEmbeds()).isNull();
        assertThat(unet.upLevel(0)).isEqualTo(3);
    }

    @Test
    void sd2UNetHasPerLevelHeadsLinearProjectionAndUpcast() throws Exception {
        UNet2DConditionConfig unet = UNet2DConditionConfig.read(file("tiny-sd2", "unet", "config.json"));
        assertThat(unet.attentionHeads()).containsExactly(2, 4, 8, 8);
        assertThat(unet.useLinearProjection()).isTrue();
        assertThat(unet.upcastAttention()).isTrue();
    }

    @Test
    void upscalerUNetHasClassEmbeddingsAndOnlyCrossAttentionLevels() throws Exception {
        UNet2DConditionConfig unet = UNet2DConditionConfig.read(file("tiny-x4-upscaler", "unet", "config.json"));
        assertThat(unet.inChannels()).isEqualTo(7);
        assertThat(unet.numClassEmbeds()).isEqualTo(1000);
        assertThat(unet.onlyCrossAttention()).containsExactly(true, true, true, false);
        assertThat(unet.downBlockTypes().get(0)).isEqualTo("DownBlock2D");
    }

    /**
     * SDXL's layout: no attention on the first level, 1/2/3 transformer layers (the mid block takes
     * the last, 3; up block i the level n-1-i's), and the text_time embedding of 6·8 + 32 inputs.
     */
    @Test
    void sdxlUNetHasTheTextTimeEmbeddingAndTransformerLayersPerLevel() throws Exception {
        UNet2DConditionConfig unet = UNet2DConditionConfig.read(file("tiny-sdxl", "unet", "config.json"));
        assertThat(unet.downBlockTypes())
                .containsExactly("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D");
        assertThat(unet.transformerLayersPerBlock()).containsExactly(1, 2, 3);
        assertThat(unet.attentionHeads()).containsExactly(2, 4, 8);
        assertThat(unet.upLevel(0)).isEqualTo(2);
        assertThat(unet.textTime()).isEqualTo(new UNet2DConditionConfig.TextTimeEmbedding(8, 80));
        ControlNetConfig controlNet =
                ControlNetConfig.read(ParityFixtures.model("tiny-controlnet-sdxl").resolve("config.json"));
        assertThat(controlNet.unet().textTime()).isEqualTo(unet.textTime());
        assertThat(UNet2DConditionConfig.read(file("tiny-sd15", "unet", "config.json")).textTime()).isNull();
    }

    @Test
    void sdxlVaeAndTextEncodersReadTheirOwnValues() throws Exception {
        AutoencoderKLConfig vae = AutoencoderKLConfig.read(file("tiny-sdxl", "vae", "config.json"));
        assertThat(vae.scalingFactor()).isEqualTo(0.13025);
        assertThat(vae.forceUpcast()).isTrue();
        ClipTextConfig second = ClipTextConfig.read(file("tiny-sdxl", "text_encoder_2", "config.json"));
        assertThat(second.hiddenAct()).isEqualTo("gelu");
        assertThat(second.projectionDim()).isEqualTo(32);
        assertThat(second.eosTokenId()).isEqualTo(2);
        ModelIndex index = ModelIndex.read(ParityFixtures.model("tiny-sdxl").resolve("model_index.json"));
        assertThat(index.pipelineClass()).isEqualTo("StableDiffusionXLPipeline");
        assertThat(index.components()).containsKeys("text_encoder_2", "tokenizer_2");
        assertThat(index.forceZerosForEmptyPrompt()).isTrue();
    }

    @Test
    void inpaintUNetTakesNineChannels() throws Exception {
        assertThat(UNet2DConditionConfig.read(file("tiny-sd15-inpaint", "unet", "config.json")).inChannels()).isEqualTo(9);
    }

    @Test
    void controlNetReadsTheDownPathAndConditioningEmbedding() throws Exception {
        ControlNetConfig controlNet = ControlNetConfig.read(ParityFixtures.model("tiny-controlnet-canny").resolve("config.json"));
        assertThat(controlNet.conditioningEmbeddingOutChannels()).containsExactly(16, 32, 96, 256);
        assertThat(controlNet.conditioningChannels()).isEqualTo(3);
        assertThat(controlNet.bgrConditioning()).isFalse();
        assertThat(controlNet.unet().upBlockTypes()).isEmpty();
        assertThat(controlNet.unet().attentionHeads()).containsExactly(8, 8, 8, 8);
    }

    @Test
    void vaesResolveTheirDownscaleAndScaling() throws Exception {
        AutoencoderKLConfig sd15 = AutoencoderKLConfig.read(file("tiny-sd15", "vae", "config.json"));
        assertThat(sd15.downscale()).isEqualTo(8);
        assertThat(sd15.scalingFactor()).isEqualTo(0.18215);
        AutoencoderKLConfig upscaler = AutoencoderKLConfig.read(file("tiny-x4-upscaler", "vae", "config.json"));
        assertThat(upscaler.downscale()).isEqualTo(4);
        assertThat(upscaler.scalingFactor()).isEqualTo(0.08333);
        assertThat(upscaler.shiftFactor()).isNull();
    }

    @Test
    void textEncodersDifferInActivation() throws Exception {
        assertThat(ClipTextConfig.read(file("tiny-sd15", "text_encoder", "config.json")).hiddenAct()).isEqualTo("quick_gelu");
        ClipTextConfig sd2 = ClipTextConfig.read(file("tiny-sd2", "text_encoder", "config.json"));
        assertThat(sd2.hiddenAct()).isEqualTo("gelu");
        assertThat(sd2.eosTokenId()).isEqualTo(49407);
        assertThat(sd2.numHiddenLayers()).isEqualTo(3);
    }

    @Test
    void modelIndexListsPresentComponentsOnly() throws Exception {
        ModelIndex sd15 = ModelIndex.read(ParityFixtures.model("tiny-sd15").resolve("model_index.json"));
        assertThat(sd15.pipelineClass()).isEqualTo("StableDiffusionPipeline");
        assertThat(sd15.components().keySet()).containsExactly("scheduler", "text_encoder", "tokenizer", "unet", "vae");
        assertThat(sd15.components().get("unet")).isEqualTo(new ModelIndex.Component("diffusers", "UNet2DConditionModel"));
        assertThat(sd15.requiresSafetyChecker()).isFalse();
        ModelIndex upscaler = ModelIndex.read(ParityFixtures.model("tiny-x4-upscaler").resolve("model_index.json"));
        assertThat(upscaler.maxNoiseLevel()).isEqualTo(350);
        assertThat(upscaler.components()).containsKey("low_res_scheduler");
    }

    @Test
    void schedulerConfigsKeepTheirOwnSettings() throws Exception {
        SchedulerConfig pndm = SchedulerConfig.read(file("tiny-sd15", "scheduler", "scheduler_config.json"));
        assertThat(pndm.className()).isEqualTo("PNDMScheduler");
        assertThat(pndm.skipPrkSteps()).isTrue();
        assertThat(pndm.stepsOffset()).isEqualTo(1);
        assertThat(pndm.betaSchedule()).isEqualTo("scaled_linear");
        SchedulerConfig vpred = SchedulerConfig.read(file("tiny-sd2", "scheduler", "scheduler_config.json"));
        assertThat(vpred.predictionType()).isEqualTo("v_prediction");
        SchedulerConfig ddpm = SchedulerConfig.read(file("tiny-x4-upscaler", "low_res_scheduler", "scheduler_config.json"));
        assertThat(ddpm.clipSample()).isTrue();
        assertThat(ddpm.varianceType()).isEqualTo("fixed_small");
        assertThat(ddpm.betaEnd()).isEqualTo(0.02);
    }
}
