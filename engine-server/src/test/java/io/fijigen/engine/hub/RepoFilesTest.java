package io.fijigen.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files of a repo are fetched: configs and one set of safetensors weights per folder, never pickle. */
class RepoFilesTest {

    @Test
    void aPipelineKeepsThePlainWeightsOfEachFolderAndSkipsVariantsPickleAndTopLevelCheckpoints() throws HubException {
        List<String> files = List.of("model_index.json", "README.md", "v1-5-pruned.ckpt", "v1-5-pruned.safetensors",
                "tokenizer/merges.txt", "tokenizer/vocab.json",
                "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                "unet/diffusion_pytorch_model.fp16.safetensors", "unet/diffusion_pytorch_model.non_ema.safetensors",
                "unet/diffusion_pytorch_model.bin", "unet/diffusion_pytorch_model.msgpack",
                "text_encoder/model.onnx", "text_encoder/model.fp16.safetensors");

        assertThat(RepoFiles.select("org/sd", files)).containsExactlyInAnyOrder("model_index.json",
                "tokenizer/merges.txt", "tokenizer/vocab.json", "unet/config.json",
                "unet/diffusion_pytorch_model.safetensors", "text_encoder/model.fp16.safetensors");
    }

    @Test
    void shardsAndTheirIndexStayTogether() throws HubException {
        List<String> files = List.of("unet/diffusion_pytorch_model.safetensors.index.json",
                "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model-00002-of-00002.safetensors",
                "unet/diffusion_pytorch_model.fp16-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model.fp16.safetensors.index.json");

        assertThat(RepoFiles.select("org/big", files)).containsExactlyInAnyOrder(
                "unet/diffusion_pytorch_model.safetensors.index.json",
                "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                "unet/diffusion_pytorch_model-00002-of-00002.safetensors");
    }

    @Test
    void aLoraRepoKeepsItsTopLevelWeights() throws HubException {
        assertThat(RepoFiles.select("org/lora", List.of("pytorch_lora_weights.safetensors", "pytorch_lora_weights.bin")))
                .containsExactly("pytorch_lora_weights.safetensors");
    }

    @Test
    void aFolderWithOnlyPickleWeightsIsNamed() {
        assertThatThrownBy(() -> RepoFiles.select("org/mixed", List.of("model_index.json",
                "unet/diffusion_pytorch_model.safetensors", "safety_checker/pytorch_model.bin")))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("org/mixed offers only pickle weights (safety_checker/pytorch_model.bin)")
                .hasMessageContaining("refs/pr/<n>");
    }
}
