package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fijigen.engine.ParityFixtures;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDXL LoRAs: kohya's SDXL names (SGM UNet blocks, {@code lora_te1_}/{@code lora_te2_}) resolve to
 * the modules of goldens-xl.json's {@code lora_sdxl_key_map}, checked by the reference's own
 * converter; merging changes exactly those weights, by {@code W + w · (alpha / rank) · up @ down};
 * the PEFT names merge the same; the SGM block numbering follows the UNet's levels; and a LoRA of
 * the other family is refused before anything changes.
 */
class LoraSdxlKeyMapTest {
    private static final Path XL_LORA = ParityFixtures.model("tiny-lora-sdxl-kohya.safetensors");
    private static final Path SD_LORA = ParityFixtures.model("tiny-lora-kohya.safetensors");

    @TempDir
    Path dir;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** The weights of one component of a fixture folder, by key, as a network would record them. */
    private Map<String, Parameter> parameters(String fixture, String component) throws Exception {
        try (StateDict weights = StateDict.openComponent(ParityFixtures.model(fixture).resolve(component), manager,
                DataType.FLOAT32)) {
            weights.keys().stream().filter(key -> key.endsWith(".weight")).forEach(weights::parameter);
            return weights.parameters();
        }
    }

    /** tiny-sdxl's UNet and both text encoders, by network. */
    private Map<LoraFile.Network, Map<String, Parameter>> sdxl() throws Exception {
        Map<LoraFile.Network, Map<String, Parameter>> networks = new LinkedHashMap<>();
        for (LoraFile.Network network : LoraFile.Network.values()) {
            networks.put(network, parameters("tiny-sdxl", network.component()));
        }
        return networks;
    }

    private static MergedLoras merged(Map<LoraFile.Network, Map<String, Parameter>> networks) {
        return new MergedLoras(networks.get(LoraFile.Network.UNET), networks.get(LoraFile.Network.TEXT_ENCODER),
                networks.getOrDefault(LoraFile.Network.TEXT_ENCODER_2, Map.of()));
    }

    @Test
    void everyKohyaLayerResolvesAsTheGoldenKeyMap() throws Exception {
        Map<String, String> golden = goldenKeyMap();
        try (LoraFile lora = LoraFile.open(XL_LORA)) {
            Map<String, String> ours = new TreeMap<>();
            merged(sdxl()).targets(lora).forEach((layer, target) -> ours.put(kohyaLayer(layer),
                    layer.network().component() + "." + module(target.name())));
            assertThat(ours).hasSize(338).isEqualTo(golden);
        }
        System.out.println("tiny-lora-sdxl-kohya: 338 layers resolve to the modules of lora_sdxl_key_map");
    }

    /**
     * UNet weight 0.75, text encoders 0.5: exactly the key map's weights change; two of them
     * checked by hand against {@code W + w · (alpha / rank) · up @ down} (alpha 2, rank 4).
     */
    @Test
    void mergingChangesExactlyTheMappedWeightsByTheLowRankUpdate() throws Exception {
        Map<LoraFile.Network, Map<String, Parameter>> networks = sdxl();
        Map<String, float[]> loaded = values(networks);
        MergedLoras loras = merged(networks);

        loras.set(List.of(new LoraWeight("xl", XL_LORA, 0.5, 0.75)));

        Map<String, float[]> after = values(networks);
        List<String> changed = after.keySet().stream()
                .filter(key -> !Arrays.equals(after.get(key), loaded.get(key))).sorted().toList();
        assertThat(changed).containsExactlyInAnyOrderElementsOf(
                goldenKeyMap().values().stream().map(module -> module + ".weight").toList());
        assertHandUpdate("lora_unet_input_blocks_4_1_proj_in", "unet.down_blocks.1.attentions.0.proj_in.weight",
                0.75, loaded, after);
        assertHandUpdate("lora_te2_text_model_encoder_layers_2_mlp_fc1",
                "text_encoder_2.text_model.encoder.layers.2.mlp.fc1.weight", 0.5, loaded, after);

        loras.restore();
        assertThat(values(networks)).allSatisfy((key, values) -> assertThat(values).as(key).isEqualTo(loaded.get(key)));
    }

    /** The fixture rewritten with diffusers/PEFT names (unet., text_encoder., text_encoder_2.) merges the same. */
    @Test
    void peftNamesMergeAsKohyaNames() throws Exception {
        Map<String, String> golden = goldenKeyMap();
        Map<String, NDArray> peft = new LinkedHashMap<>();
        try (StateDict kohya = StateDict.open(List.of(XL_LORA), manager, DataType.FLOAT32)) {
            for (String key : kohya.keys()) {
                String layer = key.substring(0, key.indexOf('.'));
                String part = switch (key.substring(key.indexOf('.') + 1)) {
                    case "lora_down.weight" -> "lora_A.weight";
                    case "lora_up.weight" -> "lora_B.weight";
                    default -> "alpha";
                };
                peft.put(golden.get(layer) + "." + part, kohya.get(key));
            }
        }
        Path peftFile = dir.resolve("peft-xl.safetensors");
        SafetensorsWriter.write(peftFile, peft, Map.of());

        Map<LoraFile.Network, Map<String, Parameter>> networks = sdxl();
        MergedLoras loras = merged(networks);
        loras.set(List.of(LoraWeight.of("kohya", XL_LORA, 0.75)));
        Map<String, float[]> byKohya = values(networks);
        loras.set(List.of(LoraWeight.of("peft", peftFile, 0.75)));
        Map<String, float[]> byPeft = values(networks);

        try (LoraFile lora = LoraFile.open(peftFile)) {
            assertThat(lora.family()).contains(LoraFamily.STABLE_DIFFUSION_XL);
        }
        assertThat(byPeft).allSatisfy((key, values) -> assertThat(values).as(key).isEqualTo(byKohya.get(key)));
    }

    @Test
    void theFamilyIsToldFromTheKeys() throws Exception {
        Path fewLayers = dir.resolve("mid.safetensors");
        SafetensorsWriter.write(fewLayers, pair("lora_unet_mid_block_attentions_0_proj_in", 4, 4), Map.of());
        try (LoraFile xl = LoraFile.open(XL_LORA); LoraFile sd = LoraFile.open(SD_LORA);
                LoraFile unknown = LoraFile.open(fewLayers)) {
            assertThat(xl.family()).contains(LoraFamily.STABLE_DIFFUSION_XL);
            assertThat(sd.family()).contains(LoraFamily.STABLE_DIFFUSION);
            assertThat(unknown.family()).isEmpty();
        }
    }

    @Test
    void anSdxlLoraOnSd15IsRefusedNamingTheFamilyAndChangesNothing() throws Exception {
        Map<LoraFile.Network, Map<String, Parameter>> sd15 = new LinkedHashMap<>();
        sd15.put(LoraFile.Network.UNET, parameters("tiny-sd15", "unet"));
        sd15.put(LoraFile.Network.TEXT_ENCODER, parameters("tiny-sd15", "text_encoder"));
        Map<String, NDArray> loaded = arrays(sd15);
        MergedLoras loras = merged(sd15);

        assertThatThrownBy(() -> loras.set(List.of(LoraWeight.of("xl", XL_LORA, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LoRA tiny-lora-sdxl-kohya.safetensors is for Stable Diffusion XL and the model"
                        + " is Stable Diffusion 1.x/2.x");
        assertThat(arrays(sd15)).isEqualTo(loaded);
        assertThat(loras.current()).isEmpty();
    }

    @Test
    void anSd15LoraOnSdxlIsRefusedNamingTheFamilyAndChangesNothing() throws Exception {
        Map<LoraFile.Network, Map<String, Parameter>> networks = sdxl();
        Map<String, NDArray> loaded = arrays(networks);
        MergedLoras loras = merged(networks);

        assertThatThrownBy(() -> loras.set(List.of(LoraWeight.of("sd", SD_LORA, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LoRA tiny-lora-kohya.safetensors is for Stable Diffusion 1.x/2.x and the model"
                        + " is Stable Diffusion XL");
        assertThat(arrays(networks)).isEqualTo(loaded);
        assertThat(loras.current()).isEmpty();
    }

    /**
     * SGM block names, LoCon convolutions included, follow the UNet's own levels: tiny-sd15 has
     * four (attention on the first, a fourth without), tiny-sdxl three (none on the first). Each
     * layer is merged, so the convolutions' 4-D pairs are checked to fit too.
     */
    @Test
    void sgmNamesFollowTheLevelsOfEitherUNet() throws Exception {
        Map<String, String> sd15 = new LinkedHashMap<>();
        sd15.put("input_blocks_0_0", "conv_in");
        sd15.put("time_embed_0", "time_embedding.linear_1");
        sd15.put("input_blocks_1_0_in_layers_2", "down_blocks.0.resnets.0.conv1");
        sd15.put("input_blocks_1_0_emb_layers_1", "down_blocks.0.resnets.0.time_emb_proj");
        sd15.put("input_blocks_2_1_proj_in", "down_blocks.0.attentions.1.proj_in");
        sd15.put("input_blocks_3_0_op", "down_blocks.0.downsamplers.0.conv");
        sd15.put("input_blocks_11_0_out_layers_3", "down_blocks.3.resnets.1.conv2");
        sd15.put("middle_block_1_transformer_blocks_0_attn2_to_k", "mid_block.attentions.0.transformer_blocks.0.attn2.to_k");
        sd15.put("middle_block_2_in_layers_2", "mid_block.resnets.1.conv1");
        sd15.put("output_blocks_0_0_skip_connection", "up_blocks.0.resnets.0.conv_shortcut");
        sd15.put("output_blocks_2_1_conv", "up_blocks.0.upsamplers.0.conv");
        sd15.put("output_blocks_5_2_conv", "up_blocks.1.upsamplers.0.conv");
        sd15.put("output_blocks_11_1_transformer_blocks_0_ff_net_0_proj",
                "up_blocks.3.attentions.2.transformer_blocks.0.ff.net.0.proj");
        sd15.put("out_2", "conv_out");
        assertSgmNamesResolve(Map.of(LoraFile.Network.UNET, parameters("tiny-sd15", "unet"),
                LoraFile.Network.TEXT_ENCODER, Map.of()), sd15);

        Map<String, String> xl = new LinkedHashMap<>();
        xl.put("label_emb_0_0", "add_embedding.linear_1");
        xl.put("input_blocks_1_0_in_layers_2", "down_blocks.0.resnets.0.conv1");
        xl.put("input_blocks_6_0_op", "down_blocks.1.downsamplers.0.conv");
        xl.put("input_blocks_8_1_transformer_blocks_2_attn1_to_out_0",
                "down_blocks.2.attentions.1.transformer_blocks.2.attn1.to_out.0");
        xl.put("middle_block_1_transformer_blocks_2_ff_net_2", "mid_block.attentions.0.transformer_blocks.2.ff.net.2");
        xl.put("output_blocks_2_2_conv", "up_blocks.0.upsamplers.0.conv");
        xl.put("output_blocks_8_0_skip_connection", "up_blocks.2.resnets.2.conv_shortcut");
        assertSgmNamesResolve(sdxl(), xl);
    }

    private void assertSgmNamesResolve(Map<LoraFile.Network, Map<String, Parameter>> networks,
            Map<String, String> expected) throws Exception {
        Map<String, Parameter> unet = networks.get(LoraFile.Network.UNET);
        Map<String, NDArray> pairs = new HashMap<>();
        expected.forEach((name, module) -> {
            long[] shape = unet.get(module + ".weight").get().getShape().getShape();
            long[] down = shape.clone();
            down[0] = 1;
            long[] up = shape.length == 4 ? new long[] {shape[0], 1, 1, 1} : new long[] {shape[0], 1};
            pairs.put("lora_unet_" + name + ".lora_down.weight", manager.full(new Shape(down), 0.01f));
            pairs.put("lora_unet_" + name + ".lora_up.weight", manager.full(new Shape(up), 0.01f));
        });
        Path file = dir.resolve("sgm.safetensors");
        SafetensorsWriter.write(file, pairs, Map.of());
        MergedLoras loras = merged(networks);
        try (LoraFile lora = LoraFile.open(file)) {
            Map<String, String> resolved = new TreeMap<>();
            loras.targets(lora).forEach((layer, target) -> resolved.put(layer.name(), module(target.name())));
            assertThat(resolved).isEqualTo(new TreeMap<>(expected));
        }
        Map<String, NDArray> loaded = arrays(networks);
        loras.set(List.of(LoraWeight.of("sgm", file, 1)));
        Map<String, NDArray> after = arrays(networks);
        assertThat(after.keySet().stream().filter(key -> after.get(key) != loaded.get(key)))
                .containsExactlyInAnyOrderElementsOf(expected.values().stream().map(m -> "unet." + m + ".weight").toList());
        loras.restore();
    }

    /** The merged weight against W + weight · (alpha / rank) · up @ down, summed here in double. */
    private void assertHandUpdate(String layer, String key, double weight, Map<String, float[]> loaded,
            Map<String, float[]> merged) throws Exception {
        try (StateDict lora = StateDict.open(List.of(XL_LORA), manager, DataType.FLOAT32)) {
            NDArray down = lora.get(layer + ".lora_down.weight");
            float[] downs = down.toFloatArray();
            float[] ups = lora.get(layer + ".lora_up.weight").toFloatArray();
            double alpha = lora.get(layer + ".alpha").getFloat();
            int rank = (int) down.getShape().get(0);
            int in = (int) down.getShape().get(1);
            int out = ups.length / rank;
            float[] before = loaded.get(key);
            float[] after = merged.get(key);
            double maxDiff = 0;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double product = 0;
                    for (int r = 0; r < rank; r++) {
                        product += (double) ups[o * rank + r] * downs[r * in + i];
                    }
                    double expected = before[o * in + i] + weight * alpha / rank * product;
                    maxDiff = Math.max(maxDiff, Math.abs(after[o * in + i] - expected));
                }
            }
            System.out.printf("%s: alpha %.0f, rank %d, max |merged - hand| = %.2e%n", key, alpha, rank, maxDiff);
            assertThat(alpha).isEqualTo(2);
            assertThat(maxDiff).as(key).isLessThan(1e-6);
            assertThat(Arrays.equals(after, before)).as(key + " changed").isFalse();
        }
    }

    /** Every weight's values now, by network and key ({@code unet.conv_in.weight}). */
    private static Map<String, float[]> values(Map<LoraFile.Network, Map<String, Parameter>> networks) {
        Map<String, float[]> values = new TreeMap<>();
        arrays(networks).forEach((key, array) -> values.put(key, array.toFloatArray()));
        return values;
    }

    private static Map<String, NDArray> arrays(Map<LoraFile.Network, Map<String, Parameter>> networks) {
        Map<String, NDArray> arrays = new TreeMap<>();
        networks.forEach((network, parameters) -> parameters.forEach((key, parameter) ->
                arrays.put(network.component() + "." + key, parameter.get())));
        return arrays;
    }

    private Map<String, NDArray> pair(String layer, long in, long out) {
        return Map.of(layer + ".lora_down.weight", manager.zeros(new Shape(1, in)),
                layer + ".lora_up.weight", manager.zeros(new Shape(out, 1)));
    }

    private static String kohyaLayer(LoraFile.Layer layer) {
        return layer.downKey().substring(0, layer.downKey().length() - ".lora_down.weight".length());
    }

    private static String module(String weightKey) {
        return weightKey.substring(0, weightKey.length() - ".weight".length());
    }

    private static Map<String, String> goldenKeyMap() throws Exception {
        try (Reader reader = Files.newBufferedReader(ParityFixtures.ROOT.resolve("goldens-xl.json"))) {
            JsonObject map = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonObject("lora_sdxl_key_map");
            Map<String, String> golden = new TreeMap<>();
            map.entrySet().forEach(entry -> golden.put(entry.getKey(), entry.getValue().getAsString()));
            return golden;
        }
    }
}
