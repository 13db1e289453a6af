package io.fijigen.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files that cannot be used fail with a message naming the file, the key and the value. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    /** tiny-sd15's UNet config with one line replaced, written to unet/config.json in the temp dir. */
    private Path unetConfigWith(String original, String replacement) throws Exception {
        return unetConfigWith("tiny-sd15", original, replacement);
    }

    private Path unetConfigWith(String model, String original, String replacement) throws Exception {
        String text = Files.readString(ParityFixtures.model(model).resolve("unet/config.json"));
        assertThat(text).contains(original);
        Path file = dir.resolve("unet").resolve("config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.replace(original, replacement));
        return file;
    }

    @Test
    void unsupportedOptionWithANonDefaultValueIsNamed() throws Exception {
        Path file = unetConfigWith("\"resnet_time_scale_shift\": \"default\"", "\"resnet_time_scale_shift\": \"scale_shift\"");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unet/config.json")
                .hasMessageContaining("resnet_time_scale_shift")
                .hasMessageContaining("scale_shift")
                .hasMessageContaining("not supported");
    }

    @Test
    void anotherAdditionEmbedTypeIsRefusedByName() throws Exception {
        Path file = unetConfigWith("tiny-sdxl", "\"addition_embed_type\": \"text_time\"",
                "\"addition_embed_type\": \"image\"");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unet/config.json")
                .hasMessageContaining("addition_embed_type = \"image\" is not supported (supported: text_time)");
    }

    @Test
    void textTimeNeedsItsEmbeddingSizes() throws Exception {
        Path file = unetConfigWith("tiny-sdxl", "\"addition_time_embed_dim\": 8", "\"addition_time_embed_dim\": null");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("addition_time_embed_dim = null must be a positive integer")
                .hasMessageContaining("text_time");
    }

    @Test
    void unknownKeysAndUnsupportedOptionsAtTheirDefaultsAreAccepted() throws Exception {
        Path file = unetConfigWith("\"act_fn\": \"silu\",", "\"act_fn\": \"silu\", \"some_future_option\": [1, 2],");
        assertThat(UNet2DConditionConfig.read(file).layersPerBlock()).isEqualTo(2);
    }

    @Test
    void wrongTypeNamesKeyAndValue() throws Exception {
        Path file = unetConfigWith("\"layers_per_block\": 2", "\"layers_per_block\": \"two\"");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("layers_per_block must be an integer")
                .hasMessageContaining("\"two\"");
    }

    @Test
    void perLevelListOfTheWrongLengthIsRejected() throws Exception {
        Path file = unetConfigWith("\"attention_head_dim\": 8", "\"attention_head_dim\": [8, 8]");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attention_head_dim has 2 entries, expected one per level (4)");
    }

    @Test
    void unknownBlockTypeIsRejected() throws Exception {
        Path file = unetConfigWith("\"DownBlock2D\"\n", "\"SimpleCrossAttnDownBlock2D\"\n");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("down_block_types")
                .hasMessageContaining("SimpleCrossAttnDownBlock2D");
    }

    @Test
    void headsThatDoNotDivideTheChannelsAreRejected() throws Exception {
        Path file = unetConfigWith("\"attention_head_dim\": 8", "\"attention_head_dim\": 5");
        assertThatThrownBy(() -> UNet2DConditionConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attention_head_dim = 5 at level 0 does not divide 32 channels");
    }

    @Test
    void corruptJsonNamesTheFile() throws Exception {
        Path file = dir.resolve("vae").resolve("config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"block_out_channels\": [32, 64");
        assertThatThrownBy(() -> AutoencoderKLConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vae/config.json")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void topLevelThatIsNotAnObjectIsRejected() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "[1, 2, 3]");
        assertThatThrownBy(() -> ClipTextConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("text_encoder").resolve("config.json");
        assertThatThrownBy(() -> ClipTextConfig.read(file))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("config.json");
    }

    @Test
    void unsupportedActivationIsNamedWithTheSupportedOnes() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hidden_act\": \"relu\", \"hidden_size\": 32, \"num_attention_heads\": 4}");
        assertThatThrownBy(() -> ClipTextConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hidden_act = \"relu\" is not supported (supported: quick_gelu, gelu)");
    }

    @Test
    void vaeWithAnotherBlockTypeIsRejected() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"block_out_channels\": [32, 32], \"norm_num_groups\": 32,"
                + " \"down_block_types\": [\"DownEncoderBlock2D\", \"AttnDownEncoderBlock2D\"]}");
        assertThatThrownBy(() -> AutoencoderKLConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AttnDownEncoderBlock2D");
    }

    @Test
    void schedulerOptionWeDoNotImplementIsNamed() throws Exception {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, "{\"_class_name\": \"DDIMScheduler\", \"thresholding\": true}");
        assertThatThrownBy(() -> SchedulerConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("thresholding = true is not supported");
    }

    @Test
    void schedulerSpacingMustBeKnown() throws Exception {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, "{\"_class_name\": \"EulerDiscreteScheduler\", \"timestep_spacing\": \"sideways\"}");
        assertThatThrownBy(() -> SchedulerConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("timestep_spacing = \"sideways\"")
                .hasMessageContaining("leading, linspace, trailing");
    }

    @Test
    void schedulerConfigAcceptsPythonsInfinity() throws Exception {
        // diffusers writes lambda_min_clipped as -Infinity, which strict JSON does not allow.
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, "{\"_class_name\": \"DPMSolverMultistepScheduler\", \"lambda_min_clipped\": -Infinity,"
                + " \"use_karras_sigmas\": true}");
        assertThat(SchedulerConfig.read(file).useKarrasSigmas()).isTrue();
    }
}
