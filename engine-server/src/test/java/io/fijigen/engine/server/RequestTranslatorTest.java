package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.CannyThresholds;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Region;
import io.fijigen.proto.v1.UpscaleRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one mapping from request fields to the engine's requests, on the demo registry: defaults from
 * the registry entry, else the table and the model's own size; values as given as tensors; each
 * refusal naming the field as the proto does.
 */
class RequestTranslatorTest {
    private static RequestTranslator translator;

    @BeforeAll
    static void readRegistry() throws Exception {
        translator = new RequestTranslator(new ModelCatalogue(RegistryConfig.read(Path.of("../models-config/demo.yaml"))));
    }

    private static GenerateRequest.Builder txt2img(String model) {
        return GenerateRequest.newBuilder().setModelId(model).setPrompt("a cat");
    }

    private static HostTensor grey(int batch, int channels, int side, float value) {
        float[] data = new float[batch * channels * side * side];
        Arrays.fill(data, value);
        return new HostTensor(data, new long[] {batch, channels, side, side});
    }

    @Test
    void unsetFieldsTakeTheRegistryEntrysDefaultsElseTheTablesAndTheModelsOwnSize() throws Exception {
        GenerationRequest registered = translator.generation(txt2img("tiny-sd15").build()).request();
        assertThat(new int[] {registered.steps(), registered.width(), registered.height()}).containsExactly(4, 128, 128);
        GenerationRequest plain = translator.generation(txt2img("tiny-sd2").build()).request();
        assertThat(plain.steps()).isEqualTo(RequestField.STEPS.defaultInt());
        assertThat(plain.guidance()).isEqualTo(RequestField.GUIDANCE.defaultValue());
        // tiny-sd2's UNet sample_size 16 × its VAE's factor 8, as diffusers' pipelines default.
        assertThat(new int[] {plain.width(), plain.height()}).containsExactly(128, 128);
        assertThat(plain.numImages()).isEqualTo(1);
        assertThat(plain.seed()).isEqualTo(GenerationRequest.RANDOM_SEED);
        assertThat(plain.scheduler()).isNull();
    }

    @Test
    void strengthDefaultsAsDiffusersPipelines() throws Exception {
        GenerateRequest.Builder img2img = txt2img("tiny-sd2").setInitTensor(WireTensors.of(grey(1, 3, 64, 0.5f)));
        assertThat(translator.generation(img2img.build()).request().strength()).isEqualTo(0.8);
        GenerateRequest.Builder inpaint = img2img.clone().setMaskTensor(WireTensors.of(grey(1, 1, 64, 1f)));
        assertThat(translator.generation(inpaint.build()).request().strength()).isEqualTo(1.0);
        assertThat(translator.generation(inpaint.setStrength(0.5).build()).request().strength()).isEqualTo(0.5);
    }

    @Test
    void tensorsArriveAsTheyWereSentAndSizeTheGeneration() throws Exception {
        HostTensor init = grey(1, 3, 72, 0.123456789f);
        HostTensor mask = grey(1, 1, 72, 0.75f);
        GenerationRequest request = translator.generation(txt2img("tiny-sd2").setInitTensor(WireTensors.of(init))
                .setMaskTensor(WireTensors.of(mask)).build()).request();
        assertThat(request.initImage()).isEqualTo(init);
        assertThat(request.mask()).isEqualTo(mask);
        assertThat(new int[] {request.width(), request.height()}).containsExactly(72, 72);
    }

    @Test
    void refusalsNameTheFieldAsTheProtoDoes() {
        assertRefused(txt2img("tiny-sd2").setInitTensor(WireTensors.of(grey(1, 1, 64, 0.5f))),
                "init_tensor: shape [1, 1, 64, 64] is not [1, 3, H, W]");
        HostTensor tall = new HostTensor(new float[3 * 8 * 4097], new long[] {1, 3, 4097, 8});
        assertRefused(txt2img("tiny-sd2").setInitTensor(WireTensors.of(tall)), "init_tensor: 4097 is outside 8..4096");
        HostTensor nan = grey(1, 3, 64, Float.NaN);
        assertRefused(txt2img("tiny-sd2").setInitTensor(WireTensors.of(nan)), "init_tensor: value 0 is NaN, not a number");
        assertRefused(txt2img("tiny-sd2").setMask(ByteString.copyFrom(new byte[] {1})),
                "mask: a mask needs an init image");
        // The canny ControlNet is made for SD 1.x: on tiny-sd2 it would be refused first, for its family.
        assertRefused(txt2img("tiny-sd15").addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny")
                .setTensor(WireTensors.of(grey(1, 3, 64, 1f))).setStart(0.5).setEnd(0.25)), "controls[0].end: 0.25"
                + " is outside (start, 1] with start 0.5");
        assertRefused(txt2img("tiny-sd15").addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny")
                .setCannyFromInit(CannyThresholds.getDefaultInstance())), "controls[0].canny_from_init: needs an init"
                + " image");
        assertRefused(txt2img("tiny-sd2").addControls(ControlUnit.newBuilder().setModelId("tiny-sd15")
                .setTensor(WireTensors.of(grey(1, 3, 64, 1f)))), "controls[0].model_id: model 'tiny-sd15' is not a"
                + " ControlNet");
        assertRefused(txt2img("tiny-controlnet-canny"), "model_id: model 'tiny-controlnet-canny' (controlnet) cannot"
                + " run txt2img (it can: [])");
        assertRefused(txt2img("tiny-sd2").setNumImages(17), "num_images: 17 is outside 1..16");
        assertRefused(txt2img("tiny-sd2").setPreviewEvery(-1), "preview_every: -1 is negative");
        assertRefused(txt2img("tiny-sd2").addEmbeddings("tiny-lora"), "embeddings[0]: model 'tiny-lora' is a lora"
                + " model, not a textual inversion");
        assertThatThrownBy(() -> translator.generation(txt2img("tiny-sd2").addEmbeddings("nope").build()))
                .isInstanceOf(ModelNotFoundException.class).hasMessageStartingWith("embeddings[0]: unknown model 'nope'");
    }

    /**
     * A few-step model's registry entry (an LCM or SD-Turbo checkpoint) sets its scheduler, steps and
     * guidance for the requests that leave them unset; a request that sets them keeps its own.
     */
    @Test
    void aFewStepModelsRegistryDefaultsFillWhatTheRequestLeavesUnset(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("few-step.yaml");
        Files.writeString(registry, "roots:\n  - " + ParityFixtures.ROOT.resolve("models") + "\n"
                + "models:\n"
                + "  - {id: tiny-lcm, kind: sd15, path: tiny-sd15, default_scheduler: lcm, default_steps: 4,"
                + " default_guidance: 1.0}\n");
        RequestTranslator fewStep = new RequestTranslator(new ModelCatalogue(RegistryConfig.read(registry)));
        GenerationRequest unset = fewStep.generation(txt2img("tiny-lcm").build()).request();
        assertThat(unset.scheduler()).isEqualTo("lcm");
        assertThat(unset.steps()).isEqualTo(4);
        assertThat(unset.guidance()).isEqualTo(1.0);
        GenerationRequest own = fewStep.generation(txt2img("tiny-lcm").setScheduler("tcd").setSteps(2).setGuidance(0)
                .setEta(0.5).build()).request();
        assertThat(own.scheduler()).isEqualTo("tcd");
        assertThat(own.steps()).isEqualTo(2);
        assertThat(own.guidance()).isEqualTo(0.0);
        assertThat(own.eta()).hasValue(0.5);
        // The registry's lcm reads no spacing: a request naming one is refused for it.
        assertRefused(fewStep, txt2img("tiny-lcm").setTimestepSpacing("trailing"), "timestep_spacing",
                "timestep_spacing: lcm takes its timesteps from the schedule it was distilled on");
    }

    @Test
    void timestepSpacingAndEtaArriveAndBadValuesAreRefusedNamingTheField() throws Exception {
        GenerationRequest request = translator.generation(txt2img("tiny-sd2").setScheduler("ddim")
                .setTimestepSpacing("trailing").setEta(0.25).build()).request();
        assertThat(request.timestepSpacing()).isEqualTo("trailing");
        assertThat(request.eta()).hasValue(0.25);
        GenerationRequest plain = translator.generation(txt2img("tiny-sd2").build()).request();
        assertThat(plain.timestepSpacing()).isNull();
        assertThat(plain.eta()).isEmpty();
        assertRefused(translator, txt2img("tiny-sd2").setTimestepSpacing("even"), "timestep_spacing",
                "timestep_spacing: 'even' is not a spacing (use leading, linspace, trailing)");
        assertRefused(translator, txt2img("tiny-sd2").setScheduler("tcd").setEta(1.5), "eta",
                "eta: 1.5 is outside 0..1");
        assertRefused(translator, txt2img("tiny-sd2").setScheduler("euler").setEta(0.3), "eta",
                "eta: euler takes no eta (only ddim and tcd do); leave it unset");
        assertRefused(translator, txt2img("tiny-sd2").setScheduler("lcm").setSteps(60), "steps",
                "steps: 60 is more than the 50 steps of the schedule this model was distilled on");
    }

    @Test
    void regionsAreRefusedNamingTheField() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY), "png", png);
        Region region = Region.newBuilder().setMask(ByteString.copyFrom(png.toByteArray())).setPrompt("a dog").build();
        assertThat(translator.generation(txt2img("tiny-sd15").addRegions(region).build()).request().regions())
                .singleElement().satisfies(r -> assertThat(r.weight()).isEqualTo(1.0));
        assertRefused(translator, txt2img("tiny-sd15").addRegions(region.toBuilder()
                .setMask(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}))),
                "regions[0].mask", "regions[0].mask: ");
        assertRefused(translator, txt2img("tiny-sd15").addRegions(region).addRegions(region.toBuilder().setWeight(0)),
                "regions[1].weight", "regions[1].weight: 0 is outside (0, 10]");
        GenerateRequest.Builder nine = txt2img("tiny-sd15");
        for (int i = 0; i < 9; i++) {
            nine.addRegions(region);
        }
        assertRefused(translator, nine, "regions", "regions: 9 is outside 0..8");
        assertRefused(translator, txt2img("tiny-sd15").addRegions(region.toBuilder().setPrompt("")),
                "regions[0].prompt", "regions[0].prompt is empty");
    }

    private static void assertRefused(RequestTranslator on, GenerateRequest.Builder request, String field,
            String message) {
        assertThatThrownBy(() -> on.generation(request.build())).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message)
                .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(field);
    }

    @Test
    void anUpscaleTakesTheUpscalersDefaults() throws Exception {
        UpscaleRequest.Builder upscale = UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler")
                .setImageTensor(WireTensors.of(grey(1, 3, 32, 0.5f)));
        io.fijigen.engine.pipeline.UpscaleRequest request = translator.upscaling(upscale.build()).request();
        assertThat(request.generation().steps()).isEqualTo(RequestField.UPSCALE_STEPS.defaultInt());
        assertThat(request.generation().guidance()).isEqualTo(RequestField.UPSCALE_GUIDANCE.defaultValue());
        assertThat(request.noiseLevel()).isEqualTo(RequestField.NOISE_LEVEL.defaultInt());
        assertThat(request.tiling()).isEqualTo(io.fijigen.engine.pipeline.UpscaleRequest.DEFAULT_TILING);
        assertThat(request.factor()).isEqualTo(RequestField.FACTOR.defaultValue());
        assertThatThrownBy(() -> translator.upscaling(upscale.setTile(32).setTileOverlap(16).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("tile_overlap: 16 is outside 0..15 (less than half the tile 32)");
    }

    @Test
    void anUpscalesTimestepSpacingAndEtaArriveAndBadValuesAreRefusedNamingTheField() throws Exception {
        UpscaleRequest.Builder upscale = UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler")
                .setImageTensor(WireTensors.of(grey(1, 3, 32, 0.5f)));
        GenerationRequest plain = translator.upscaling(upscale.build()).request().generation();
        assertThat(plain.timestepSpacing()).isNull();
        assertThat(plain.eta()).isEmpty();
        GenerationRequest given = translator.upscaling(upscale.clone().setTimestepSpacing("trailing").setEta(0.5)
                .build()).request().generation();
        assertThat(given.timestepSpacing()).isEqualTo("trailing");
        assertThat(given.eta()).hasValue(0.5);
        assertUpscaleRefused(upscale.clone().setTimestepSpacing("sideways"), "timestep_spacing",
                "timestep_spacing: 'sideways' is not a spacing (use leading, linspace, trailing)");
        assertUpscaleRefused(upscale.clone().setEta(1.5), "eta", "eta: 1.5 is outside 0..1");
        assertUpscaleRefused(upscale.clone().setScheduler("euler").setEta(0.5), "eta",
                "eta: euler takes no eta (only ddim and tcd do); leave it unset");
        assertUpscaleRefused(upscale.clone().setScheduler("tcd").setTimestepSpacing("trailing"), "timestep_spacing",
                "timestep_spacing: tcd takes its timesteps from the schedule it was distilled on");
    }

    private static void assertUpscaleRefused(UpscaleRequest.Builder request, String field, String message) {
        assertThatThrownBy(() -> translator.upscaling(request.build())).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message)
                .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo(field);
    }

    private static void assertRefused(GenerateRequest.Builder request, String message) {
        assertThatThrownBy(() -> translator.generation(request.build())).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message);
    }
}
