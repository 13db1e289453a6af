package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
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
    }
}
