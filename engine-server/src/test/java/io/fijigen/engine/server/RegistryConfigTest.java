package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading registry files: the shipped ones, every validation error, and paths confined to the roots. */
class RegistryConfigTest {
    private static final Path DEMO = Path.of("../models-config/demo.yaml");
    private static final Path EXAMPLE = Path.of("../models-config/sd15.yaml.example");

    @TempDir
    Path dir;

    /** {@code dir/models/a} and {@code dir/models/b}: folders a path entry may name. */
    @BeforeEach
    void modelFolders() throws IOException {
        Files.createDirectories(dir.resolve("models/a"));
        Files.createDirectories(dir.resolve("models/b"));
    }

    @Test
    void demoConfigListsTheSixTinyModelsWithTheirKindsAndCapabilities() throws IOException {
        RegistryConfig config = RegistryConfig.read(DEMO);
        ModelCatalogue catalogue = new ModelCatalogue(config);

        assertThat(catalogue.entries()).extracting(ModelEntry::id).containsExactly(
                "tiny-sd15", "tiny-sd2", "tiny-sd15-inpaint", "tiny-controlnet-canny", "tiny-x4-upscaler", "tiny-lora");
        assertThat(catalogue.entries()).extracting(ModelEntry::kind).containsExactly(
                ModelKind.SD15, ModelKind.SD2, ModelKind.INPAINT, ModelKind.CONTROLNET, ModelKind.UPSCALER,
                ModelKind.LORA);
        assertThat(catalogue.find("tiny-sd15").capabilities())
                .containsExactly(Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT, Capability.CONTROLNET);
        assertThat(catalogue.find("tiny-sd2").capabilities())
                .containsExactly(Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT, Capability.CONTROLNET);
        assertThat(catalogue.find("tiny-sd15-inpaint").capabilities())
                .containsExactly(Capability.INPAINT, Capability.CONTROLNET);
        // A ControlNet guides another model's job: the capability belongs to the models it can guide.
        assertThat(catalogue.find("tiny-controlnet-canny").capabilities()).isEmpty();
        assertThat(catalogue.find("tiny-x4-upscaler").capabilities()).containsExactly(Capability.UPSCALE);
        assertThat(ModelKind.LORA.capabilities()).isEmpty();
        assertThat(ModelKind.SAFETY.capabilities()).isEmpty();

        Path models = ParityFixtures.ROOT.resolve("models").toRealPath();
        assertThat(config.roots().paths()).containsExactly(models);
        assertThat(catalogue.path("tiny-sd2")).isEqualTo(models.resolve("tiny-sd2"));
        assertThat(config.memoryBudgetBytes()).isEqualTo(256L << 20);
        ModelEntry sd15 = catalogue.find("tiny-sd15");
        assertThat(sd15.dtype()).isEqualTo(ModelDtype.FP32);
        assertThat(sd15.device()).isEqualTo(ModelDevice.CPU);
        assertThat(sd15.defaults().steps()).hasValue(4);
        assertThat(sd15.defaults().width()).hasValue(128);
        assertThat(catalogue.find("tiny-sd2").defaults()).isEqualTo(GenerationDefaults.NONE);
    }

    @Test
    void sd15ExampleIsAValidRegistryOnceItsFoldersExist() throws IOException {
        Path config = dir.resolve("sd15.yaml");
        Files.copy(EXAMPLE, config);
        Files.createDirectories(dir.resolve("stable-diffusion-v1-5"));
        Files.createDirectories(dir.resolve("sd-controlnet-canny"));
        Files.createDirectories(dir.resolve("hf-cache/hub"));

        ModelCatalogue catalogue = new ModelCatalogue(RegistryConfig.read(config));

        assertThat(catalogue.entries()).extracting(ModelEntry::kind).containsExactly(
                ModelKind.SD15, ModelKind.CONTROLNET, ModelKind.INPAINT, ModelKind.UPSCALER);
        assertThat(catalogue.find("sd15-inpaint").location()).isEqualTo(
                new ModelLocation.HubRepo("stable-diffusion-v1-5/stable-diffusion-inpainting", "main"));
        assertThat(catalogue.find("sd15").dtype()).isEqualTo(ModelDtype.FP16);
        assertThat(catalogue.find("sd15").defaults().scheduler()).hasValue("dpmpp_2m_karras");
    }

    @Test
    void rootsDefaultToTheFilesFolderAndBudgetTo8GiB() throws IOException {
        RegistryConfig config = read("models:\n  - {id: a, kind: sd15, path: models/a}\n");
        assertThat(config.roots().paths()).containsExactly(dir.toRealPath());
        assertThat(config.memoryBudgetBytes()).isEqualTo(8192L << 20);
        assertThat(config.models().get(0).location())
                .isEqualTo(new ModelLocation.LocalPath(dir.resolve("models/a").toRealPath()));
    }

    @Test
    void anEmptyModelListIsARegistryToAddModelsTo() throws IOException {
        RegistryConfig config = read("models: []\n");
        assertThat(config.models()).isEmpty();
        assertThat(new ModelCatalogue(config).entries()).isEmpty();
    }

    @Test
    void onDeviceMovesEveryModelAndLoadsFp16AsFp32OnTheCpu() throws IOException {
        RegistryConfig config = read("models:\n  - {id: a, kind: sd15, path: models/a}\n"
                + "  - {id: b, kind: sd15, path: models/b, device: gpu}\n");
        assertThat(config.onDevice(ModelDevice.GPU).models()).extracting(ModelEntry::device)
                .containsExactly(ModelDevice.GPU, ModelDevice.GPU);
        assertThat(config.onDevice(ModelDevice.CPU).models()).extracting(ModelEntry::device)
                .containsExactly(ModelDevice.CPU, ModelDevice.CPU);

        // A managed engine switched from the GPU to the CPU keeps the models it added as fp16.
        RegistryConfig half = read("models:\n  - {id: h, kind: sd15, path: models/a, dtype: fp16, device: gpu}\n");
        assertThat(half.onDevice(ModelDevice.CPU).models()).singleElement()
                .satisfies(entry -> assertThat(List.of(entry.dtype(), entry.device()))
                        .containsExactly(ModelDtype.FP32, ModelDevice.CPU));
        assertThat(half.onDevice(ModelDevice.GPU).models().get(0).dtype()).isEqualTo(ModelDtype.FP16);
    }

    @Test
    void aRelativePathIsLookedUpInEachRootInTurn() throws IOException {
        Files.createDirectories(dir.resolve("more/c"));
        RegistryConfig config = read("roots: [models, more]\nmodels:\n  - {id: c, kind: sd15, path: c}\n");
        assertThat(config.models().get(0).location())
                .isEqualTo(new ModelLocation.LocalPath(dir.resolve("more/c").toRealPath()));
    }

    @Test
    void aSingleFileCheckpointIsAPipelineOrControlNetPath() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/sd21.safetensors"), "");
        Files.writeString(dir.resolve("models/canny.safetensors"), "");
        Files.writeString(dir.resolve("models/sd_xl_base_1.0.safetensors"), "");
        RegistryConfig config = read("roots: [models]\nmodels:\n"
                + "  - {id: a, kind: sd2, path: sd21.safetensors, prediction_type: epsilon}\n"
                + "  - {id: c, kind: controlnet, path: canny.safetensors}\n"
                + "  - {id: xl, kind: sdxl, path: sd_xl_base_1.0.safetensors}\n");
        assertThat(config.models().get(0).predictionType()).contains("epsilon");
        assertThat(config.models().get(1).location())
                .isEqualTo(new ModelLocation.LocalPath(dir.resolve("models/canny.safetensors").toRealPath()));
        assertThat(config.models().get(2).kind()).isEqualTo(ModelKind.SDXL);
        assertThat(config.models().get(2).capabilities()).containsExactly(Capability.TXT2IMG, Capability.IMG2IMG,
                Capability.INPAINT, Capability.CONTROLNET);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown kind      | {id: a, kind: sd3, path: a}                      | models[0] (id 'a'): field 'kind': unknown kind 'sd3' (one of sd15, sd2, sdxl, inpaint, controlnet, upscaler, lora, embedding, safety)
        bad id            | {id: Tiny SD, kind: sd15, path: a}               | models[0]: field 'id': 'Tiny SD' does not match
        id too long       | {id: a1234567890123456789012345678901234567890123456789012345678901234, kind: sd15, path: a} | field 'id'
        missing id        | {kind: sd15, path: a}                            | models[0]: field 'id': is missing
        missing kind      | {id: a, path: a}                                 | models[0] (id 'a'): field 'kind': is missing
        path and hub      | {id: a, kind: sd15, path: a, hub: org/name}      | models[0] (id 'a'): field 'path': give either path or hub, not both
        neither           | {id: a, kind: sd15}                              | models[0] (id 'a'): field 'path/hub': is missing
        missing path      | {id: a, kind: sd15, path: nowhere}               | models[0] (id 'a'): field 'path': 'nowhere' is missing: not found under the roots
        unknown key       | {id: a, kind: sd15, pth: a}                      | models[0] (id 'a'): unknown key 'pth' (allowed:
        bad dtype         | {id: a, kind: sd15, path: a, dtype: bf16}        | models[0] (id 'a'): field 'dtype': 'bf16' is not one of fp32, fp16
        bad device        | {id: a, kind: sd15, path: a, device: tpu}        | models[0] (id 'a'): field 'device': 'tpu' is not one of cpu, gpu
        fp16 on cpu       | {id: a, kind: sd15, path: a, dtype: fp16}        | field 'dtype': fp16 needs device: gpu
        revision of path  | {id: a, kind: sd15, path: a, revision: main}     | field 'revision': only a hub entry has a revision
        bad hub id        | {id: a, kind: sd15, hub: 'org/na me'}            | field 'hub': 'org/na me' is not a hub repo id
        bad revision      | {id: a, kind: sd15, hub: org/name, revision: ../x} | field 'revision': '../x' is not a branch, tag or commit
        id not text       | {id: 15, kind: sd15, path: a}                    | field 'id': must be a string, got number '15' (quote it)
        bad steps         | {id: a, kind: sd15, path: a, default_steps: 0}   | field 'default_steps': 0 is outside 1..1000
        steps past limit  | {id: a, kind: sd15, path: a, default_steps: 1001} | (id 'a'): field 'default_steps': 1001 is outside 1..1000
        guidance past     | {id: a, kind: sd15, path: a, default_guidance: 31} | (id 'a'): field 'default_guidance': 31 is outside 0..30
        width past limit  | {id: a, kind: sd15, path: a, default_width: 4096} | (id 'a'): field 'default_width': 4096 is outside 8..2048
        bad width         | {id: a, kind: sd15, path: a, default_width: 500} | field 'default_width': 500 is not a multiple of 8
        bad scheduler     | {id: a, kind: sd15, path: a, default_scheduler: k_euler} | field 'default_scheduler': unknown scheduler 'k_euler'
        eta past limit    | {id: a, kind: sd15, path: a, default_eta: 2}     | (id 'a'): field 'default_eta': 2 is outside 0..1
        upscaler eta      | {id: a, kind: upscaler, path: a, default_eta: -0.5} | (id 'a'): field 'default_eta': -0.5 is outside 0..1
        bad spacing       | {id: a, kind: sd15, path: a, default_timestep_spacing: sideways} | (id 'a'): field 'default_timestep_spacing': 'sideways' is not a spacing (use leading, linspace, trailing)
        eta on a cnet     | {id: a, kind: controlnet, path: a, default_eta: 0.3} | field 'default_eta': a controlnet model runs no job of its own
        defaults on cnet  | {id: a, kind: controlnet, path: a, default_steps: 20} | field 'default_steps': a controlnet model runs no job of its own
        upscaler file     | {id: a, kind: upscaler, path: a/w.safetensors}   | w.safetensors' is a file; a upscaler model loads from a diffusers folder
        folder prediction | {id: a, kind: sd15, path: a, prediction_type: v_prediction} | field 'prediction_type': is for a single-file checkpoint
        bad prediction    | {id: a, kind: sd2, path: a/w.safetensors, prediction_type: v} | field 'prediction_type': 'v' is not epsilon or v_prediction
        """)
    void anInvalidEntryIsRefusedNamingTheFileTheEntryAndTheField(String name, String entry, String expected)
            throws IOException {
        Files.writeString(dir.resolve("models/a/w.safetensors"), "");
        assertThatThrownBy(() -> read("roots: [models]\nmodels:\n  - " + entry + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("registry.yaml").toString())
                .hasMessageContaining(expected);
    }

    @Test
    void aDuplicateIdIsRefusedNamingTheSecondEntry() {
        assertThatThrownBy(() -> read("models:\n  - {id: a, kind: sd15, path: models/a}\n"
                + "  - {id: a, kind: sd2, path: models/b}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models[1] (id 'a'): field 'id': duplicate id 'a'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown top key   | model_budget: 100                                  | unknown key 'model_budget' (allowed: job_memory_budget_mib, memory_budget_mib, models, roots)
        missing root      | roots: [absent]                                    | field 'roots': entry 0 'absent' is not a folder
        budget not number | memory_budget_mib: lots                            | field 'memory_budget_mib': must be a whole number
        budget zero       | memory_budget_mib: 0                               | field 'memory_budget_mib': 0 is outside 1..
        job budget zero   | job_memory_budget_mib: 0                           | field 'job_memory_budget_mib': 0 is outside 1..
        no models         | roots: [models]                                    | field 'models': is missing
        models not a list | 'models: {id: a}'                                  | field 'models': must be a list
        entry not a map   | 'models: [a]'                                      | models[0]: expected a mapping of keys to values, got text 'a'
        duplicate key     | 'models: []\\nmodels: []'                           | not valid YAML
        java type tag     | '!!java.io.File [x]'                               | not valid YAML
        """)
    void anInvalidFileIsRefused(String name, String yaml, String expected) {
        assertThatThrownBy(() -> read(yaml.replace("\\n", "\n") + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void aPathClimbingOutOfTheRootsIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("outside"));
        assertThatThrownBy(() -> read("roots: [models]\nmodels:\n  - {id: a, kind: sd15, path: ../outside}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models[0] (id 'a'): field 'path': '../outside' resolves to "
                        + dir.resolve("outside").toRealPath() + ", outside every root");
        Path absolute = dir.resolve("outside").toAbsolutePath();
        assertThatThrownBy(() -> read("roots: [models]\nmodels:\n  - {id: a, kind: sd15, path: '" + absolute + "'}\n"))
                .hasMessageContaining("outside every root");
    }

    @Test
    void aSymlinkOutOfTheRootsIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("models/link"), dir.resolve("outside"));
        assertThatThrownBy(() -> read("roots: [models]\nmodels:\n  - {id: a, kind: sd15, path: link}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'path': 'link' resolves to " + dir.resolve("outside").toRealPath()
                        + ", outside every root");
    }

    @Test
    void aRootAddedJoinsTheRootsOnceAsItsRealPath() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.createSymbolicLink(dir.resolve("cache-link"), cache);
        RegistryConfig config = read("roots: [models]\nmodels: []\n");

        RegistryConfig added = config.withRoot(dir.resolve("cache-link"));

        assertThat(added.roots().paths()).containsExactly(dir.resolve("models").toRealPath(), cache.toRealPath());
        assertThat(added.withRoot(cache)).isSameAs(added);
        assertThat(added.roots().realPathInside(cache)).contains(cache.toRealPath());
    }

    private RegistryConfig read(String yaml) throws IOException {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, yaml);
        return RegistryConfig.read(file);
    }
}
