package io.fijigen.engine.model;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.weights.LoraWeight;
import io.fijigen.engine.weights.Parameter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tel.lora075.penultimate}, {@code teg.lora075.penultimate} and {@code
 * teg.lora075.text_embeds}: tiny-lora-sdxl-kohya merged into the loaded tiny-sdxl at 0.75 through
 * {@code model.loras()}, {@code lora_te1_*} into text_encoder, {@code lora_te2_*} into
 * text_encoder_2 and {@code lora_unet_*} (SGM names) into the UNet, and taken out again bit for bit.
 */
class LoraXlParityTest {
    static final Path KOHYA_XL = ParityFixtures.model("tiny-lora-sdxl-kohya.safetensors");
    static final Path KOHYA_SD = ParityFixtures.model("tiny-lora-kohya.safetensors");

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");

    @AfterEach
    void unmerge() {
        sdxl.get().loras().restore();
    }

    @Test
    void telLora075() throws Exception {
        sdxl.get().loras().set(List.of(LoraWeight.of("tiny", KOHYA_XL, 0.75)));
        assertModuleClose("tel.lora075.penultimate",
                sdxl.get().textEncoder().hiddenStates(session.golden("tel.input_ids"), 2, null),
                session.golden("tel.lora075.penultimate"));
    }

    @Test
    void tegLora075() throws Exception {
        sdxl.get().loras().set(List.of(LoraWeight.of("tiny", KOHYA_XL, 0.75)));
        NDArray ids = session.golden("teg.input_ids");
        assertModuleClose("teg.lora075.penultimate", sdxl.get().textEncoder2().textModel().hiddenStates(ids, 2, null),
                session.golden("teg.lora075.penultimate"));
        assertModuleClose("teg.lora075.text_embeds", sdxl.get().textEncoder2().forward(ids).textEmbeds(),
                session.golden("teg.lora075.text_embeds"));
    }

    /** The fixture's 338 pairs: 18 in each text encoder (3 layers, 6 Linears), 302 in the UNet. */
    @Test
    void restoringGivesTheLoadedTensorsBack() throws Exception {
        Map<String, NDArray> loaded = new HashMap<>();
        allParameters(sdxl.get()).forEach((key, parameter) -> loaded.put(key, parameter.get()));
        sdxl.get().loras().set(List.of(LoraWeight.of("tiny", KOHYA_XL, 0.75)));
        Map<String, Long> replaced = new HashMap<>();
        allParameters(sdxl.get()).forEach((key, parameter) -> {
            if (parameter.get() != loaded.get(key)) {
                replaced.merge(key.substring(0, key.indexOf(':')), 1L, Long::sum);
            }
        });
        assertThat(replaced).containsExactlyInAnyOrderEntriesOf(Map.of("te1", 18L, "te2", 18L, "unet", 302L));

        sdxl.get().loras().set(List.of());
        assertThat(sdxl.get().loras().current()).isEmpty();
        try (StableDiffusion fresh = TinyModel.load("tiny-sdxl")) {
            Map<String, Parameter> freshParameters = allParameters(fresh);
            allParameters(sdxl.get()).forEach((key, parameter) -> {
                assertThat(parameter.get()).as(key).isSameAs(loaded.get(key));
                assertThat(parameter.get().contentEquals(freshParameters.get(key).get())).as(key).isTrue();
            });
        }
    }

    @Test
    void anSdLoraOnSdxlIsRefusedBeforeAnythingChanges() {
        assertRefusedUnchanged(sdxl.get(), KOHYA_SD,
                "is for Stable Diffusion 1.x/2.x and the model is Stable Diffusion XL");
    }

    @Test
    void anSdxlLoraOnSd15IsRefusedBeforeAnythingChanges() throws Exception {
        try (StableDiffusion sd15 = TinyModel.load("tiny-sd15")) {
            assertRefusedUnchanged(sd15, KOHYA_XL, "is for Stable Diffusion XL and the model is Stable Diffusion 1.x/2.x");
        }
    }

    private static void assertRefusedUnchanged(StableDiffusion model, Path lora, String message) {
        Map<String, NDArray> loaded = new HashMap<>();
        allParameters(model).forEach((key, parameter) -> loaded.put(key, parameter.get()));
        assertThatThrownBy(() -> model.loras().set(List.of(LoraWeight.of("other", lora, 1.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(lora.getFileName().toString())
                .hasMessageContaining(message);
        assertThat(model.loras().current()).isEmpty();
        allParameters(model).forEach((key, parameter) -> assertThat(parameter.get()).as(key).isSameAs(loaded.get(key)));
    }

    /** Every LoRA-mergeable weight of the model, keyed "unet:…", "te1:…" and (SDXL) "te2:…". */
    private static Map<String, Parameter> allParameters(StableDiffusion model) {
        Map<String, Parameter> all = new HashMap<>();
        model.unet().parameters().forEach((key, value) -> all.put("unet:" + key, value));
        model.textEncoder().parameters().forEach((key, value) -> all.put("te1:" + key, value));
        if (model.textEncoder2() != null) {
            model.textEncoder2().parameters().forEach((key, value) -> all.put("te2:" + key, value));
        }
        return all;
    }
}
