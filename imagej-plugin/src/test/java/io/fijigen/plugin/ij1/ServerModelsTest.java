package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ListModels answer as a dialog's choices and the defaults it shows. */
class ServerModelsTest {
    private final ServerModels models = new ServerModels(ListModelsResponse.newBuilder()
            .addModels(Model.newBuilder().setId("sd15").addCapabilities(Capability.CAPABILITY_TXT2IMG)
                    .setDefaultSteps(30).setDefaultScheduler("dpmpp_2m").setDefaultWidth(512).setDefaultHeight(768))
            .addModels(Model.newBuilder().setId("plain").addCapabilities(Capability.CAPABILITY_TXT2IMG)
                    .setDefaultSteps(50))
            .addModels(Model.newBuilder().setId("canny"))
            .addSchedulers("ddim")
            .build());

    @Test
    void theDefaultsAJobGetsInWords() {
        assertThat(models.defaults("sd15")).isEqualTo("model defaults: 30 steps, dpmpp_2m, 512×768");
        assertThat(models.defaults("plain")).isEqualTo("model defaults: 50 steps");
        assertThat(models.defaults("canny")).isBlank();
        assertThat(models.defaultSteps("sd15")).isEqualTo(30);
        assertThat(models.defaultSteps("nope")).isZero();
        assertThat(models.with(Capability.CAPABILITY_TXT2IMG)).containsExactly("sd15", "plain");
        assertThat(models.schedulers()).containsExactly(ServerModels.DEFAULT_SCHEDULER, "ddim");
        assertThat(List.of(models.defaultWidth("sd15"), models.defaultHeight("sd15"))).containsExactly(512, 768);
        assertThat(List.of(models.defaultWidth("nope"), models.defaultHeight("nope"))).containsExactly(0, 0);
    }

    /** SDXL beside SD 1.5, with a ControlNet and a LoRA of each, and a LoRA that tells no family. */
    private final ServerModels families = new ServerModels(ListModelsResponse.newBuilder()
            .addModels(model("sd15", ModelKind.MODEL_KIND_SD15, "sd15"))
            .addModels(model("xl", ModelKind.MODEL_KIND_SDXL, "sdxl"))
            .addModels(model("xl-inpaint", ModelKind.MODEL_KIND_INPAINT, "sdxl-inpaint"))
            .addModels(model("canny", ModelKind.MODEL_KIND_CONTROLNET, "sd15"))
            .addModels(model("canny-xl", ModelKind.MODEL_KIND_CONTROLNET, "sdxl"))
            .addModels(model("style", ModelKind.MODEL_KIND_LORA, "sd"))
            .addModels(model("style-xl", ModelKind.MODEL_KIND_LORA, "sdxl"))
            .addModels(model("unknown", ModelKind.MODEL_KIND_LORA, ""))
            .build());

    private static Model.Builder model(String id, ModelKind kind, String family) {
        return Model.newBuilder().setId(id).setKind(kind).setFamily(family);
    }

    @Test
    void aControlNetOfAnotherFamilyIsRefusedBeforeSending() {
        assertThatCode(() -> families.checkControlNet("xl-inpaint", "canny-xl")).doesNotThrowAnyException();
        assertThatThrownBy(() -> families.checkControlNet("xl", "canny"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ControlNet 'canny' is made for sd15 models, not for model 'xl' (sdxl): choose a ControlNet"
                        + " made for sdxl");
    }

    @Test
    void aLoraTagOfAnotherFamilyIsRefusedBeforeSending() {
        assertThatCode(() -> families.checkLoras("sd15", "a cell <lora:style:0.5> <lora:unknown> <lora:nope:1>"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> families.checkLoras("sd15", "a cell <lora: style-xl :0.8:0.5>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt: <lora: style-xl :0.8:0.5>: LoRA 'style-xl' is made for sdxl models, not for model"
                        + " 'sd15' (sd15): choose a LoRA made for sd15");
        assertThatThrownBy(() -> families.checkLoras("xl", "<lora:style>"))
                .hasMessage("prompt: <lora:style>: LoRA 'style' is made for sd models, not for model 'xl' (sdxl):"
                        + " choose a LoRA made for sdxl");
    }
}
