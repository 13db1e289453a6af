package io.fijigen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.ldm.LdmFormatException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single file that is not an LDM checkpoint, or whose config cannot be inferred, is refused with what to do. */
class SingleFileCheckpointErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aFileInNeitherLayoutIsRefusedNamingWhatWasExpected() throws Exception {
        Path file = dir.resolve("unet.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(file, Map.of("conv_in.weight", manager.zeros(new Shape(4, 4, 3, 3))), Map.of());
        }
        assertThatThrownBy(() -> StableDiffusion.load(file, Device.cpu(), DataType.FLOAT32))
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("unet.safetensors is not a single-file checkpoint in the original (LDM) layout")
                .hasMessageContaining("model.diffusion_model.*")
                .hasMessageContaining("control_model.input_hint_block.*")
                .hasMessageContaining("conv_in.weight")
                .hasMessageContaining("model_index.json");
    }

    @Test
    void aNonStandardWidthWithoutSidecarNamesWhatCouldNotBeInferred() throws Exception {
        Path file = tinySd15WithoutSidecar();
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()).checkedComponents())
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("tiny.safetensors: cannot infer the text encoder's attention heads")
                .hasMessageContaining("width is 32")
                .hasMessageContaining("model.params.cond_stage_config.params.num_heads")
                .hasMessageContaining("sidecar tiny.yaml");
        Files.writeString(dir.resolve("tiny.yaml"), "model:\n  params:\n    cond_stage_config:\n      params:\n"
                + "        num_heads: 4\n");
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()).checkedComponents())
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("cannot infer the UNet's attention heads")
                .hasMessageContaining("model_channels 32 and context_dim 32")
                .hasMessageContaining("model.params.unet_config.params.num_heads (or num_head_channels)")
                .hasMessageContaining("(tiny.yaml has none)");
    }

    @Test
    void aMissingTokenizerSaysWhereToPutOne() throws Exception {
        Path file = tinySd15WithoutSidecar();
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()).tokenizerFolder())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("tiny.tokenizer")
                .hasMessageContaining("tokenizer/ folder of a Stable Diffusion 1.x diffusers model");
    }

    @Test
    void aPredictionTypeIsRefusedForAFolder() {
        assertThatThrownBy(() -> StableDiffusion.load(ParityFixtures.model("tiny-sd15"), Device.cpu(),
                DataType.FLOAT32, Optional.of("v_prediction")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a diffusers folder")
                .hasMessageContaining("scheduler_config.json");
    }

    @Test
    void theSchedulerFollowsTheFlagOverTheYaml() throws Exception {
        Path file = tinySd15WithoutSidecar();
        Files.writeString(dir.resolve("tiny.yaml"), "model:\n  params:\n    parameterization: \"v\"\n");
        assertThat(SingleFileCheckpoint.open(file, Optional.empty()).scheduler().predictionType())
                .isEqualTo("v_prediction");
        assertThat(SingleFileCheckpoint.open(file, Optional.of("epsilon")).scheduler().predictionType())
                .isEqualTo("epsilon");
    }

    @Test
    void anSdxlFileWithoutItsSecondTextEncoderNamesItBeforeLoading() throws Exception {
        Path file = dir.resolve("half-xl.safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict full = StateDict.open(List.of(ParityFixtures.model("tiny-sdxl.safetensors")), manager,
                        DataType.FLOAT16)) {
            Map<String, NDArray> kept = new LinkedHashMap<>();
            full.keys().stream().filter(key -> !key.startsWith("conditioner.embedders.1."))
                    .forEach(key -> kept.put(key, full.get(key)));
            SafetensorsWriter.write(file, kept, Map.of());
        }
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()))
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("half-xl.safetensors is an SDXL checkpoint without the OpenCLIP ViT-bigG text"
                        + " encoder (conditioner.embedders.1.model.*, text_encoder_2)")
                .hasMessageContaining("give a complete checkpoint");
    }

    @Test
    void anSdxlFileOfOtherWidthsNamesTheSidecarKeysItNeeds() throws Exception {
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), dir.resolve("xl.safetensors"));
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()).textEncoder2Config())
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("xl.safetensors: cannot infer the text encoder's attention heads")
                .hasMessageContaining("width is 32")
                .hasMessageContaining("model.params.conditioner_config.params.emb_models.1.params.num_heads");
        Files.writeString(dir.resolve("xl.yaml"), """
                model:
                  params:
                    network_config:
                      params:
                        num_heads: [2, 4, 8]
                """);
        assertThatThrownBy(() -> SingleFileCheckpoint.open(file, Optional.empty()).unetConfig())
                .isInstanceOf(LdmFormatException.class)
                .hasMessageContaining("cannot infer the width of the size-condition embeddings")
                .hasMessageContaining("label_emb.0.0.weight takes 80 inputs, too few for the pooled text and 6"
                        + " embeddings of 256")
                .hasMessageContaining("model.params.conditioner_config.params.emb_models.N.params.outdim")
                .hasMessageContaining("(xl.yaml has none)");
    }

    private Path tinySd15WithoutSidecar() throws Exception {
        return TinyCheckpoints.weights(dir, "tiny-sd15", "tiny");
    }
}
