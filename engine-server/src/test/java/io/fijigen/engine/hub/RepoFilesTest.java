package io.fijigen.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which files of a repo are fetched: configs and one set of safetensors weights per folder (a
 * pipeline's component folders only), never pickle.
 */
class RepoFilesTest {
    private static final Optional<Set<String>> SD_COMPONENTS =
            Optional.of(Set.of("tokenizer", "text_encoder", "unet", "vae", "scheduler"));

    @Test
    void aPipelineKeepsThePlainWeightsOfEachFolderAndSkipsVariantsPickleAndTopLevelCheckpoints() throws HubException {
        List<String> files = List.of("model_index.json", "README.md", "v1-5-pruned.ckpt", "v1-5-pruned.safetensors",
                "tokenizer/merges.txt", "tokenizer/vocab.json",
                "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                "unet/diffusion_pytorch_model.fp16.safetensors", "unet/diffusion_pytorch_model.non_ema.safetensors",
                "unet/diffusion_pytorch_model.bin", "unet/diffusion_pytorch_model.msgpack",
                "text_encoder/model.onnx", "text_encoder/model.fp16.safetensors");

        RepoFiles.checkWeights("org/sd", files);
        assertThat(RepoFiles.select(files, SD_COMPONENTS)).containsExactlyInAnyOrder("model_index.json",
                "tokenizer/merges.txt", "tokenizer/vocab.json", "unet/config.json",
                "unet/diffusion_pytorch_model.safetensors", "text_encoder/model.fp16.safetensors");
    }

    /**
     * stabilityai/stable-diffusion-xl-base-1.0 as the hub lists it (its Flax, ONNX and OpenVINO copies
     * included): the two text encoders and tokenizers, the UNet and VAE of model_index.json, once each;
     * not the top-level single files (the same pipeline, the 0.9 VAE variant, an example LoRA), not
     * vae_1_0/ (a VAE no pipeline component names), not the OpenVINO-only vae_decoder/ and vae_encoder/.
     */
    @Test
    void sdxlBaseGetsItsComponentsOnceAndNothingElse() throws HubException {
        List<String> files = List.of(".gitattributes", "01.png", "LICENSE.md", "README.md", "comparison.png",
                "model_index.json", "pipeline.png", "scheduler/scheduler_config.json",
                "sd_xl_base_1.0.safetensors", "sd_xl_base_1.0_0.9vae.safetensors",
                "sd_xl_offset_example-lora_1.0.safetensors",
                "text_encoder/config.json", "text_encoder/flax_model.msgpack", "text_encoder/model.fp16.safetensors",
                "text_encoder/model.onnx", "text_encoder/model.safetensors", "text_encoder/openvino_model.bin",
                "text_encoder/openvino_model.xml",
                "text_encoder_2/config.json", "text_encoder_2/flax_model.msgpack",
                "text_encoder_2/model.fp16.safetensors", "text_encoder_2/model.onnx", "text_encoder_2/model.onnx_data",
                "text_encoder_2/model.safetensors", "text_encoder_2/openvino_model.bin",
                "text_encoder_2/openvino_model.xml",
                "tokenizer/merges.txt", "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json",
                "tokenizer/vocab.json", "tokenizer_2/merges.txt", "tokenizer_2/special_tokens_map.json",
                "tokenizer_2/tokenizer_config.json", "tokenizer_2/vocab.json",
                "unet/config.json", "unet/diffusion_flax_model.msgpack",
                "unet/diffusion_pytorch_model.fp16.safetensors",
                "unet/diffusion_pytorch_model.onnx", "unet/diffusion_pytorch_model.safetensors",
                "unet/model.onnx_data", "unet/openvino_model.bin", "unet/openvino_model.xml",
                "vae/config.json", "vae/diffusion_flax_model.msgpack", "vae/diffusion_pytorch_model.fp16.safetensors",
                "vae/diffusion_pytorch_model.safetensors",
                "vae_1_0/config.json", "vae_1_0/diffusion_pytorch_model.fp16.safetensors",
                "vae_1_0/diffusion_pytorch_model.safetensors",
                "vae_decoder/config.json", "vae_decoder/model.onnx", "vae_decoder/openvino_model.bin",
                "vae_decoder/openvino_model.xml",
                "vae_encoder/config.json", "vae_encoder/model.onnx", "vae_encoder/openvino_model.bin",
                "vae_encoder/openvino_model.xml");
        Optional<Set<String>> components = Optional.of(Set.of("scheduler", "text_encoder", "text_encoder_2",
                "tokenizer", "tokenizer_2", "unet", "vae"));

        assertThatCode(() -> RepoFiles.checkWeights("stabilityai/stable-diffusion-xl-base-1.0", files))
                .doesNotThrowAnyException();
        assertThat(RepoFiles.select(files, components)).containsExactlyInAnyOrder("model_index.json",
                "scheduler/scheduler_config.json",
                "text_encoder/config.json", "text_encoder/model.safetensors",
                "text_encoder_2/config.json", "text_encoder_2/model.safetensors",
                "tokenizer/merges.txt", "tokenizer/special_tokens_map.json", "tokenizer/tokenizer_config.json",
                "tokenizer/vocab.json", "tokenizer_2/merges.txt", "tokenizer_2/special_tokens_map.json",
                "tokenizer_2/tokenizer_config.json", "tokenizer_2/vocab.json",
                "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                "vae/config.json", "vae/diffusion_pytorch_model.safetensors");
    }

    /** A folder offering fp16, EMA and non-EMA copies but no plain file: the fp16 one, which sorts after "ema". */
    @Test
    void withoutPlainWeightsTheFp16VariantIsTaken() {
        List<String> files = List.of("model_index.json", "unet/config.json",
                "unet/diffusion_pytorch_model.ema.safetensors", "unet/diffusion_pytorch_model.fp16.safetensors",
                "unet/diffusion_pytorch_model.non_ema.safetensors", "vae/diffusion_pytorch_model.fp16.safetensors");

        assertThat(RepoFiles.select(files, Optional.of(Set.of("unet", "vae")))).containsExactlyInAnyOrder(
                "model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.fp16.safetensors",
                "vae/diffusion_pytorch_model.fp16.safetensors");
    }

    @Test
    void shardsAndTheirIndexStayTogether() {
        List<String> files = List.of("unet/diffusion_pytorch_model.safetensors.index.json",
                "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model-00002-of-00002.safetensors",
                "unet/diffusion_pytorch_model.fp16-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model.fp16.safetensors.index.json");

        assertThat(RepoFiles.select(files, Optional.empty())).containsExactlyInAnyOrder(
                "unet/diffusion_pytorch_model.safetensors.index.json",
                "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model-00002-of-00002.safetensors");
    }

    @Test
    void aLoraRepoKeepsItsTopLevelWeights() throws HubException {
        List<String> files = List.of("pytorch_lora_weights.safetensors", "pytorch_lora_weights.bin");

        RepoFiles.checkWeights("org/lora", files);
        assertThat(RepoFiles.select(files, Optional.empty())).containsExactly("pytorch_lora_weights.safetensors");
    }

    @Test
    void aFolderWithOnlyPickleWeightsIsNamed() {
        assertThatThrownBy(() -> RepoFiles.checkWeights("org/mixed", List.of("model_index.json",
                "unet/diffusion_pytorch_model.safetensors", "safety_checker/pytorch_model.bin")))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("org/mixed offers only pickle weights (safety_checker/pytorch_model.bin)")
                .hasMessageContaining("refs/pr/<n>");
    }
}
