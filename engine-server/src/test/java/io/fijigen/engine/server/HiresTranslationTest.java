package io.fijigen.engine.server;

import io.fijigen.engine.pipeline.HiresOptions;
import io.fijigen.engine.pipeline.HiresUpscaler;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.schedule.SchedulerChoice;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Hires;
import io.fijigen.proto.v1.ModelRole;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GenerateRequest.hires} into the engine's terms, on the demo registry: the web UI's
 * defaults, an x4 upscaler with its registry defaults, and each refusal naming the field.
 */
class HiresTranslationTest {
    private static RequestTranslator translator;

    @BeforeAll
    static void readRegistry() throws Exception {
        translator = new RequestTranslator(new ModelCatalogue(RegistryConfig.read(
                Path.of("../models-config/demo.yaml"))));
    }

    /** 64×48 on tiny-sd15 with a hires fix. */
    private static GenerateRequest hires(Hires.Builder hires) {
        return GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cat").setWidth(64).setHeight(48)
                .setHires(hires).build();
    }

    @Test
    void unsetOptionsAreTheWebUisDefaults() throws Exception {
        HiresOptions options = translator.generation(hires(Hires.newBuilder().setScale(2))).request().hires();

        assertThat(options).isEqualTo(new HiresOptions(2, 0, 0.7, new HiresUpscaler.Latent(false)));
        assertThat(RequestField.HIRES_STRENGTH.defaultValue()).isEqualTo(0.7);
        assertThat(options.side(64)).isEqualTo(128);
        // round(48 × 1.3 = 62.4) to a multiple of 8: 64 (62.4 / 8 = 7.8 → 8).
        assertThat(new HiresOptions(1.3, 0, 0.7, new HiresUpscaler.Lanczos()).side(48)).isEqualTo(64);
        assertThat(translator.generation(hires(Hires.newBuilder().setScale(2).setUpscaler("latent-nearest")))
                .request().hires().upscaler()).isEqualTo(new HiresUpscaler.Latent(true));
    }

    @Test
    void anX4UpscalerTakesItsRegistryDefaultsAndIsLeasedAndListedWithTheModel() throws Exception {
        RequestTranslator.Generation generation = translator.generation(hires(Hires.newBuilder().setScale(2)
                .setUpscaler("tiny-x4-upscaler")));

        assertThat(generation.request().hires().upscaler()).isEqualTo(new HiresUpscaler.X4("tiny-x4-upscaler",
                RequestField.UPSCALE_STEPS.defaultInt(), RequestField.UPSCALE_GUIDANCE.defaultValue(), SchedulerChoice.named(null), null));
        assertThat(generation.modelIds()).containsExactly("tiny-sd15", "tiny-x4-upscaler");
        assertThat(generation.uses()).containsEntry("tiny-x4-upscaler", ModelRole.MODEL_ROLE_UPSCALER);
    }

    @Test
    void scaleAtMostOneOrASecondPassBeyondTheSideLimitIsRefused() {
        assertRefused(Hires.newBuilder().setScale(1), "hires.scale: 1 is outside (1, 8]");
        assertRefused(Hires.newBuilder(), "hires.scale: 0 is outside (1, 8]");
        assertThatThrownBy(() -> translator.generation(GenerateRequest.newBuilder().setModelId("tiny-sd15")
                .setPrompt("a cat").setWidth(1024).setHeight(512).setHires(Hires.newBuilder().setScale(4)).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("hires.scale: 1024x512 × 4 gives 4096x2048; a generated image's sides are 8..2048 (try a"
                        + " smaller scale or size)");
    }

    @Test
    void strengthOutsideZeroToOneOrStepsOutsideTheirRangeIsRefused() {
        assertRefused(Hires.newBuilder().setScale(2).setStrength(0), "hires.strength: 0 is outside (0, 1]");
        assertRefused(Hires.newBuilder().setScale(2).setStrength(1.5), "hires.strength: 1.5 is outside (0, 1]");
        assertRefused(Hires.newBuilder().setScale(2).setSteps(1001), "hires.steps: 1001 is outside 1..1000");
        // tiny-sd15's registry entry: 4 steps; 4 × 0.2 runs none.
        assertRefused(Hires.newBuilder().setScale(2).setStrength(0.2), "hires.strength: 0.2 of 4 steps leaves no"
                + " step to run");
    }

    @Test
    void anUnknownUpscalerOrAModelThatIsNotAnUpscalerIsRefused() {
        assertRefused(Hires.newBuilder().setScale(2).setUpscaler("bicubic"), "hires.upscaler: 'bicubic' is neither"
                + " lanczos, latent nor latent-nearest, nor a registered upscaler model");
        assertRefused(Hires.newBuilder().setScale(2).setUpscaler("tiny-sd2"), "hires.upscaler: model 'tiny-sd2'"
                + " (sd2) is not an upscaler");
    }

    @Test
    void aHiresFixWithAnInitImageIsRefused() {
        HostTensor init = new HostTensor(new float[3 * 64 * 64], new long[] {1, 3, 64, 64});
        assertThatThrownBy(() -> translator.generation(GenerateRequest.newBuilder().setModelId("tiny-sd15")
                .setPrompt("a cat").setInitTensor(WireTensors.of(init)).setHires(Hires.newBuilder().setScale(2))
                .build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("hires: the hires fix is for txt2img");
    }

    private static void assertRefused(Hires.Builder hires, String message) {
        assertThatThrownBy(() -> translator.generation(hires(hires))).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(message.split(":")[0]));
    }
}
