package io.fijigen.engine.model;

import static io.fijigen.engine.model.SingleFileCheckpoint.CONTROLNET;
import static io.fijigen.engine.model.SingleFileCheckpoint.TEXT_ENCODER;
import static io.fijigen.engine.model.SingleFileCheckpoint.TEXT_ENCODER_2;
import static io.fijigen.engine.model.SingleFileCheckpoint.UNET;
import static io.fijigen.engine.model.SingleFileCheckpoint.VAE;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.SafetensorsFile;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.TensorInfo;
import io.fijigen.engine.weights.TensorView;
import io.fijigen.engine.weights.ldm.ComponentTensors;
import io.fijigen.engine.weights.ldm.LdmCheckpointWriter;
import io.fijigen.engine.weights.ldm.LdmConfigInference;
import io.fijigen.engine.weights.ldm.LdmLayout;
import io.fijigen.engine.weights.ldm.LdmYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDXL single files in the SGM layout against the diffusers folders they hold: tiny-sdxl.safetensors
 * (written by diffusers' own conversion script), and tiny-sdxl-inpaint and tiny-controlnet-sdxl
 * written by {@link LdmCheckpointWriter} (the inverse key map, with the extra keys real files carry).
 * Every tensor the loader maps equals the folder's under the same key, bit for bit, and the inferred
 * configs equal the folders' on every field the networks read.
 */
class SingleFileSdxlTest {
    /** What the tiny ControlNet's shapes cannot say: its heads and the size embeddings' width. */
    private static final String CONTROLNET_YAML = """
            model:
              params:
                control_stage_config:
                  params:
                    num_heads: [2, 4, 8]
                conditioner_config:
                  params:
                    emb_models:
                      - params:
                          outdim: 8
            """;

    @TempDir
    Path dir;

    @Test
    void tinySdxlSingleFileEqualsTheFolder() throws Exception {
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), dir.resolve("tiny-sdxl.safetensors"));
        Files.writeString(dir.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file, Optional.empty());

        assertThat(checkpoint.layout()).isEqualTo(LdmLayout.STABLE_DIFFUSION_XL);
        assertSamePipeline(checkpoint, ParityFixtures.model("tiny-sdxl"));
    }

    @Test
    void sdxlInpaintSingleFileEqualsTheFolder() throws Exception {
        Path file = TinyCheckpoints.checkpoint(dir, "tiny-sdxl-inpaint", TinyCheckpoints.SDXL_YAML);
        SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file, Optional.empty());

        assertThat(checkpoint.layout()).isEqualTo(LdmLayout.STABLE_DIFFUSION_XL);
        assertSamePipeline(checkpoint, ParityFixtures.model("tiny-sdxl-inpaint"));
        assertThat(inferredUNet(file).intValue("in_channels", 4)).isEqualTo(9);
        assertThat(checkpoint.tokenizerFolder()).isEqualTo(dir.resolve("tiny-sdxl-inpaint.tokenizer"));
        assertThat(checkpoint.tokenizer2Folder()).isEqualTo(dir.resolve("tiny-sdxl-inpaint.tokenizer_2"));
    }

    @Test
    void sdxlControlNetSingleFileEqualsTheFolder() throws Exception {
        Path folder = ParityFixtures.model("tiny-controlnet-sdxl");
        Path file = dir.resolve("tiny-controlnet-sdxl.safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict weights = StateDict.openComponent(folder, manager, DataType.FLOAT32)) {
            LdmCheckpointWriter writer = new LdmCheckpointWriter();
            writer.controlNet(weights, "control_model.");
            writer.write(file);
        }
        Files.writeString(dir.resolve("tiny-controlnet-sdxl.yaml"), CONTROLNET_YAML);
        SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file, Optional.empty());

        assertThat(checkpoint.layout()).isEqualTo(LdmLayout.CONTROLNET);
        assertSameTensors(checkpoint, CONTROLNET, folder);
        try (NDManager manager = NDManager.newBaseManager();
                StateDict weights = checkpoint.weights(CONTROLNET, manager, DataType.FLOAT32)) {
            assertThat(weights.keys().stream().filter(k -> k.matches("controlnet_down_blocks\\.\\d+\\.weight")))
                    .as("down residual projections").hasSize(9);
            assertThat(weights.has("controlnet_mid_block.weight")).isTrue();
        }
        List<TensorInfo> header = header(file);
        ConfigFile inferred = inference(file, LdmLayout.CONTROLNET)
                .controlNet(ComponentTensors.under(header, LdmLayout.controlNetPrefix(header)));
        UNetConfigFields.assertSameControlNet(inferred, ConfigFile.read(folder.resolve("config.json")));
    }

    /**
     * Every network's tensors and config as the folder's; {@code checkedComponents} (what {@code
     * fijigen models} lists, every config inferred on the way) names both text encoders with the
     * folder's keys.
     */
    private void assertSamePipeline(SingleFileCheckpoint checkpoint, Path folder) throws Exception {
        Map<String, Map<String, TensorView>> checked = checkpoint.checkedComponents();
        assertThat(checked.keySet()).containsExactly(TEXT_ENCODER, TEXT_ENCODER_2, UNET, VAE);
        for (String component : List.of(UNET, VAE, TEXT_ENCODER, TEXT_ENCODER_2)) {
            assertSameTensors(checkpoint, component, folder.resolve(component));
            try (NDManager manager = NDManager.newBaseManager();
                    StateDict reference = StateDict.openComponent(folder.resolve(component), manager,
                            DataType.FLOAT32)) {
                assertThat(checked.get(component).keySet()).as(component)
                        .containsExactlyInAnyOrderElementsOf(reference.keys());
            }
        }
        assertThat(checkpoint.family()).isEqualTo(ModelFamily.SDXL);
        assertThat(checkpoint.unetConfig()).usingRecursiveComparison()
                .isEqualTo(UNet2DConditionConfig.read(folder.resolve("unet/config.json")));
        assertThat(checkpoint.textEncoderConfig()).usingRecursiveComparison()
                .isEqualTo(ClipTextConfig.read(folder.resolve("text_encoder/config.json")));
        assertThat(checkpoint.textEncoder2Config()).usingRecursiveComparison()
                .isEqualTo(ClipTextConfig.read(folder.resolve("text_encoder_2/config.json")));
        assertThat(checkpoint.vaeConfig()).usingRecursiveComparison()
                .isEqualTo(AutoencoderKLConfig.read(folder.resolve("vae/config.json")));
        assertThat(checkpoint.scheduler()).usingRecursiveComparison()
                .isEqualTo(SchedulerConfig.read(folder.resolve("scheduler/scheduler_config.json")));
        UNetConfigFields.assertSameUNet(inferredUNet(checkpoint.file()),
                ConfigFile.read(folder.resolve("unet/config.json")));
    }

    /** The same keys, and under each the same shape and the same float32 values (the fp16 ones widened exactly). */
    private static void assertSameTensors(SingleFileCheckpoint checkpoint, String component, Path folder)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                StateDict ours = checkpoint.weights(component, manager, DataType.FLOAT32);
                StateDict reference = StateDict.openComponent(folder, manager, DataType.FLOAT32)) {
            assertThat(ours.keys()).as(component + " keys").containsExactlyInAnyOrderElementsOf(reference.keys());
            for (String key : reference.keys()) {
                NDArray expected = reference.get(key);
                NDArray actual = ours.get(key);
                assertThat(actual.getShape()).as(component + " " + key).isEqualTo(expected.getShape());
                assertThat(Arrays.equals(actual.toFloatArray(), expected.toFloatArray())).as(component + " " + key)
                        .isTrue();
            }
            System.out.printf("%s %s: %d tensors, each equal to the folder's%n", checkpoint.file().getFileName(),
                    component, reference.keys().size());
        }
    }

    private static ConfigFile inferredUNet(Path file) throws Exception {
        return inference(file, LdmLayout.STABLE_DIFFUSION_XL)
                .unet(ComponentTensors.under(header(file), LdmLayout.UNET_PREFIX));
    }

    /** The inference the checkpoint makes, as config files: what {@link UNetConfigFields} compares key by key. */
    private static LdmConfigInference inference(Path file, LdmLayout layout) throws Exception {
        return new LdmConfigInference(file.getFileName().toString(), layout, LdmYaml.besides(file), Optional.empty());
    }

    private static List<TensorInfo> header(Path file) throws Exception {
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            return opened.names().stream().map(opened::info).toList();
        }
    }
}
