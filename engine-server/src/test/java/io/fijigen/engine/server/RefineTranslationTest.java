package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.ModelRole;
import io.fijigen.proto.v1.Refine;
import io.fijigen.proto.v1.UpscaleRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code UpscaleRequest.refine} into the engine's terms, on the demo registry: the tiles' defaults,
 * the models leased and listed, and each refusal naming the refine field.
 */
class RefineTranslationTest {
    private static RequestTranslator translator;
    private static ByteString image;

    @BeforeAll
    static void readRegistry() throws Exception {
        translator = new RequestTranslator(new ModelCatalogue(RegistryConfig.read(
                Path.of("../models-config/demo.yaml"))));
        image = ByteString.copyFrom(PngWriter.encode(PngWriter.toImage(new HostTensor(new float[96 * 96 * 3],
                new long[] {1, 96, 96, 3}), 0), ""));
    }

    /** A ×2 refine of a 96×96 image on tiny-sd15. */
    private static UpscaleRequest refine(Refine.Builder refine) {
        return UpscaleRequest.newBuilder().setImage(image).setFactor(2).setPrompt("cells").setSeed(3)
                .setRefine(refine.setModelId(refine.getModelId().isEmpty() ? "tiny-sd15" : refine.getModelId()))
                .build();
    }

    @Test
    void unsetFieldsAreTheDefaults() throws Exception {
        RequestTranslator.Upscaling upscaling = translator.upscaling(refine(Refine.newBuilder()));

        RequestTranslator.Refinement refinement = upscaling.refine();
        // tiny-sd15's registry default_width, 128; a quarter of it as overlap.
        assertThat(refinement.tile()).isEqualTo(128);
        assertThat(refinement.overlap()).isEqualTo(32);
        assertThat(refinement.tiles().request().strength()).isEqualTo(RequestField.REFINE_STRENGTH.defaultValue())
                .isEqualTo(0.35);
        assertThat(refinement.tiles().request().seed()).isEqualTo(3);
        assertThat(refinement.tiles().request().prompt()).isEqualTo("cells");
        assertThat(upscaling.model()).isNull();
        assertThat(upscaling.modelIds()).containsExactly("tiny-sd15");
    }

    @Test
    void aTileLargerThanTheOutputIsCappedAtItsSide() throws Exception {
        RequestTranslator.Refinement refinement = translator.upscaling(refine(Refine.newBuilder().setTile(512)
                .setTileOverlap(200))).refine();

        assertThat(refinement.tile()).isEqualTo(192);
        assertThat(refinement.overlap()).isEqualTo(95);
        assertThat(refinement.tiles().request().width()).isEqualTo(192);
    }

    @Test
    void theUpscalerTheModelAndTheControlNetAreLeasedAndListed() throws Exception {
        UpscaleRequest request = refine(Refine.newBuilder().setControlnetId("tiny-controlnet-canny")).toBuilder()
                .setModelId("tiny-x4-upscaler").build();
        RequestTranslator.Upscaling upscaling = translator.upscaling(request);

        assertThat(upscaling.modelIds()).containsExactly("tiny-x4-upscaler", "tiny-sd15", "tiny-controlnet-canny");
        assertThat(upscaling.uses()).containsExactly(
                java.util.Map.entry("tiny-x4-upscaler", ModelRole.MODEL_ROLE_UPSCALER),
                java.util.Map.entry("tiny-sd15", ModelRole.MODEL_ROLE_MODEL),
                java.util.Map.entry("tiny-controlnet-canny", ModelRole.MODEL_ROLE_CONTROLNET));
    }

    @Test
    void theTilesTakeTheRefinesTimestepSpacingAndEta() throws Exception {
        io.fijigen.engine.pipeline.GenerationRequest tiles = translator.upscaling(refine(Refine.newBuilder()
                .setScheduler("ddim").setTimestepSpacing("trailing").setEta(0.5))).refine().tiles().request();
        assertThat(tiles.timestepSpacing()).isEqualTo("trailing");
        assertThat(tiles.eta()).hasValue(0.5);
        io.fijigen.engine.pipeline.GenerationRequest plain = translator.upscaling(refine(Refine.newBuilder()))
                .refine().tiles().request();
        assertThat(plain.timestepSpacing()).isNull();
        assertThat(plain.eta()).isEmpty();
    }

    @Test
    void eachBadValueIsRefusedNamingItsRefineField() {
        assertRefused(Refine.newBuilder().setTimestepSpacing("sideways"),
                "refine.timestep_spacing: 'sideways' is not a spacing (use leading, linspace, trailing)");
        assertRefused(Refine.newBuilder().setScheduler("ddim").setEta(1.5), "refine.eta: 1.5 is outside 0..1");
        assertRefused(Refine.newBuilder().setScheduler("euler").setEta(0.5), "refine.eta: euler takes no eta");
        assertRefused(Refine.newBuilder().setStrength(0), "refine.strength: 0 is outside (0, 1]");
        assertRefused(Refine.newBuilder().setStrength(1.5), "refine.strength: 1.5 is outside (0, 1]");
        assertRefused(Refine.newBuilder().setTile(60), "refine.tile: 60 is not a multiple of 8 (try 56 or 64)");
        assertRefused(Refine.newBuilder().setTile(4096), "refine.tile: 4096 is outside 8..2048");
        assertRefused(Refine.newBuilder().setTile(64).setTileOverlap(32),
                "refine.tile_overlap: 32 is outside 0..31 (less than half the tile 64)");
        assertRefused(Refine.newBuilder().setTileOverlap(-1),
                "refine.tile_overlap: -1 is outside 0..63 (less than half the tile 128)");
        assertRefused(Refine.newBuilder().setSteps(1001), "refine.steps: 1001 is outside 1..1000");
        assertRefused(Refine.newBuilder().setGuidance(31), "refine.guidance: 31 is outside 0..30");
        assertRefused(Refine.newBuilder().setScheduler("nope"), "refine.scheduler:");
        assertRefused(Refine.newBuilder().setModelId("tiny-x4-upscaler"), "refine.model_id: model 'tiny-x4-upscaler'"
                + " (upscaler) cannot run img2img");
        assertRefused(Refine.newBuilder().setControlnetId("tiny-sd2"), "refine.controlnet_id:");
    }

    @Test
    void unknownModelsAreNotFoundNamingTheField() {
        assertThatThrownBy(() -> translator.upscaling(refine(Refine.newBuilder().setModelId("nope"))))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageStartingWith("refine.model_id: unknown model 'nope'");
        assertThatThrownBy(() -> translator.upscaling(refine(Refine.newBuilder().setControlnetId("nope"))))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageStartingWith("refine.controlnet_id: unknown model 'nope'");
    }

    private static void assertRefused(Refine.Builder refine, String message) {
        assertThatThrownBy(() -> translator.upscaling(refine(refine)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message)
                .extracting(e -> ((InvalidRequestException) e).field()).asString().startsWith("refine.");
    }
}
