package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging by hand-computed small cases, the PEFT key style against kohya's, and LoRAs that do not fit. */
class MergedLorasTest {
    private static final Path KOHYA = ParityFixtures.model("tiny-lora-kohya.safetensors");

    @TempDir
    Path dir;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * LoCon: a 3×3 down [1, 1, 3, 3] = 1..9 and a 1×1 up [2, 1, 1, 1] = (1, −2), alpha 1, rank 1,
     * weight 0.5: the update of output channel o is 0.5 · up[o] · down, added to a weight of 10s.
     */
    @Test
    void loconThreeByThreeDownWithOneByOneUp() throws Exception {
        Parameter conv = parameter("down_blocks.0.resnets.0.conv1.weight", filled(10, 2, 1, 3, 3));
        Path lora = write("locon.safetensors", Map.of(
                "lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight", range(1, 1, 3, 3),
                "lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight",
                manager.create(new float[] {1, -2}, new Shape(2, 1, 1, 1)),
                "lora_unet_down_blocks_0_resnets_0_conv1.alpha", manager.create(1f)));
        MergedLoras loras = new MergedLoras(Map.of(conv.name(), conv), Map.of());

        loras.set(List.of(LoraWeight.of("locon", lora, 0.5)));

        float[] expected = new float[18];
        for (int k = 0; k < 9; k++) {
            expected[k] = 10 + 0.5f * (k + 1);
            expected[9 + k] = 10 - (k + 1);
        }
        assertThat(conv.get().getShape()).isEqualTo(new Shape(2, 1, 3, 3));
        assertThat(conv.get().toFloatArray()).containsExactly(expected);
    }

    /**
     * A Linear [3, 2] of zeros, rank 2, alpha 4 (scale 2), weight 1: up [[1, 0], [0, 1], [1, 1]] @
     * down [[1, 2], [3, 4]] = [[1, 2], [3, 4], [4, 6]], times 2. A 1×1 conv takes the same 2-D pair.
     */
    @Test
    void linearAndOneByOneConvTakeTwoDimensionalPairs() throws Exception {
        Parameter linear = parameter("text_model.encoder.layers.0.mlp.fc1.weight", filled(0, 3, 2));
        Parameter conv = parameter("down_blocks.0.attentions.0.proj_in.weight", filled(0, 3, 2, 1, 1));
        NDArray down = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray up = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2));
        Path lora = write("linear.safetensors", Map.of(
                "lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", down,
                "lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", up,
                "lora_te_text_model_encoder_layers_0_mlp_fc1.alpha", manager.create(4f),
                "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", down,
                "lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight", up));
        MergedLoras loras = new MergedLoras(Map.of(conv.name(), conv), Map.of(linear.name(), linear));

        loras.set(List.of(LoraWeight.of("linear", lora, 1)));

        assertThat(linear.get().toFloatArray()).containsExactly(2, 4, 6, 8, 8, 12);
        // No alpha: scale 1.
        assertThat(conv.get().toFloatArray()).containsExactly(1, 2, 3, 4, 4, 6);
        assertThat(conv.get().getShape()).isEqualTo(new Shape(3, 2, 1, 1));
    }

    /** Two LoRAs on one weight add up; a change of set starts again from the loaded weight. */
    @Test
    void severalLorasAddUpAndAChangeStartsFromTheLoadedWeight() throws Exception {
        Parameter linear = parameter("to_q.weight", filled(1, 1, 1));
        Path a = write("a.safetensors", pair("lora_unet_to_q", 2, 3));
        Path b = write("b.safetensors", pair("lora_unet_to_q", 5, 7));
        MergedLoras loras = new MergedLoras(Map.of(linear.name(), linear), Map.of());
        NDArray loaded = linear.get();

        loras.set(List.of(LoraWeight.of("a", a, 1), LoraWeight.of("b", b, 0.5)));
        assertThat(linear.get().getFloat()).isEqualTo(1 + 6 + 17.5f);
        loras.set(List.of(LoraWeight.of("b", b, 1)));
        assertThat(linear.get().getFloat()).isEqualTo(1 + 35f);
        loras.set(List.of());
        assertThat(linear.get()).isSameAs(loaded);
        assertThat(linear.get().getFloat()).isEqualTo(1f);
    }

    /** GPU models hold float16 weights: the update is added in float32 and the result stored as float16. */
    @Test
    void float16WeightsStayFloat16() throws Exception {
        Parameter linear = parameter("to_q.weight", filled(1, 1, 1).toType(DataType.FLOAT16, false));
        MergedLoras loras = new MergedLoras(Map.of(linear.name(), linear), Map.of());
        loras.set(List.of(LoraWeight.of("a", write("a.safetensors", pair("lora_unet_to_q", 2, 3)), 0.5)));
        assertThat(linear.get().getDataType()).isEqualTo(DataType.FLOAT16);
        assertThat(linear.get().toType(DataType.FLOAT32, false).getFloat()).isEqualTo(4f);
    }

    /**
     * The fixture LoRA rewritten in the PEFT style (module paths from the model's own names;
     * lora_A, lora_B, with alphas, and without them but with lora_B scaled by alpha / rank) merges
     * into exactly the same weights as the kohya file.
     */
    @Test
    void peftKeysMergeLikeKohyaKeys() throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sd15").unet(manager, DataType.FLOAT32);
        CLIPTextModel textEncoder = ParityFixtures.folder("tiny-sd15").textEncoder(manager, DataType.FLOAT32);
        Map<String, NDArray> withAlpha = new LinkedHashMap<>();
        Map<String, NDArray> scaled = new LinkedHashMap<>();
        try (SafetensorsFile kohya = SafetensorsFile.open(KOHYA)) {
            Map<String, String> modules = new HashMap<>();
            unet.parameters().keySet().forEach(key -> modules.put("lora_unet_" + module(key).replace('.', '_'),
                    "unet." + module(key)));
            textEncoder.parameters().keySet().forEach(key -> modules.put("lora_te_" + module(key).replace('.', '_'),
                    "text_encoder." + module(key)));
            for (String key : kohya.names()) {
                String layer = key.substring(0, key.indexOf('.'));
                String part = key.substring(key.indexOf('.') + 1);
                NDArray value = TensorLoader.load(manager, kohya.info(key), kohya.data(key), DataType.FLOAT32);
                String peft = modules.get(layer) + "." + switch (part) {
                    case "lora_down.weight" -> "lora_A.weight";
                    case "lora_up.weight" -> "lora_B.weight";
                    default -> "alpha";
                };
                withAlpha.put(peft, value);
                if (part.equals("lora_up.weight")) {
                    scaled.put(peft, value.mul(0.5f)); // alpha 2 / rank 4
                } else if (part.equals("lora_down.weight")) {
                    scaled.put(peft, value);
                }
            }
        }
        MergedLoras loras = new MergedLoras(unet.parameters(), textEncoder.parameters());
        Map<String, float[]> byKohya = merged(loras, unet, textEncoder, KOHYA);
        assertThat(byKohya).hasSize(146);
        assertSameWeights(merged(loras, unet, textEncoder, write("peft.safetensors", withAlpha)), byKohya);
        assertSameWeights(merged(loras, unet, textEncoder, write("peft-no-alpha.safetensors", scaled)), byKohya);
    }

    @Test
    void aFileWithOtherKeysIsRefusedNamingTheKey() throws Exception {
        Path lycoris = write("loha.safetensors", Map.of("lora_unet_to_q.hada_w1_a", filled(1, 1, 1)));
        Path unrelated = write("weights.safetensors", Map.of("conv_in.weight", filled(1, 1, 1)));
        Path half = write("half.safetensors", Map.of("lora_unet_to_q.lora_down.weight", filled(1, 1, 1)));
        assertThatThrownBy(() -> LoraFile.open(lycoris)).hasMessageContaining("loha.safetensors")
                .hasMessageContaining("lora_unet_to_q.hada_w1_a").hasMessageContaining("LyCORIS");
        assertThatThrownBy(() -> LoraFile.open(unrelated)).hasMessageContaining("'conv_in.weight'")
                .hasMessageContaining("not a LoRA key");
        assertThatThrownBy(() -> LoraFile.open(half)).hasMessageContaining("layer 'to_q' has no up");
    }

    /** A LoRA for another model fails before changing anything: the weights stay as loaded. */
    @Test
    void aLoraThatDoesNotFitLeavesTheWeightsAsLoaded() throws Exception {
        Parameter linear = parameter("to_q.weight", filled(1, 1, 1));
        Parameter other = parameter("to_k.weight", filled(1, 2, 2));
        NDArray loaded = linear.get();
        Map<String, NDArray> unknownLayer = new HashMap<>(pair("lora_unet_to_q", 2, 3));
        unknownLayer.putAll(pair("lora_unet_input_blocks_1_1_proj_in", 2, 3));
        Path wrongNames = write("sdxl.safetensors", unknownLayer);
        Path wrongSize = write("big.safetensors", pair("lora_unet_to_k", 2, 3));
        MergedLoras loras = new MergedLoras(Map.of(linear.name(), linear, other.name(), other), Map.of());

        assertThatThrownBy(() -> loras.set(List.of(LoraWeight.of("sdxl", wrongNames, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sdxl.safetensors")
                .hasMessageContaining("'input_blocks_1_1_proj_in' names no Linear or Conv2d of the model's UNet");
        assertThatThrownBy(() -> loras.set(List.of(LoraWeight.of("a", write("a.safetensors", pair("lora_unet_to_q", 2, 3)),
                1), LoraWeight.of("big", wrongSize, 1))))
                .hasMessageContaining("updates (1, 1) but the model's to_k.weight is (2, 2)");
        assertThat(linear.get()).isSameAs(loaded);
        assertThat(loras.current()).isEmpty();
    }

    @Test
    void nonFiniteWeightsAreRefused() {
        assertThatThrownBy(() -> LoraWeight.of("x", KOHYA, Double.NaN))
                .hasMessageContaining("LoRA 'x': weights must be finite");
    }

    private Map<String, float[]> merged(MergedLoras loras, UNet2DConditionModel unet, CLIPTextModel textEncoder,
            Path file) throws Exception {
        Map<String, NDArray> loaded = new HashMap<>();
        unet.parameters().forEach((key, p) -> loaded.put(key, p.get()));
        textEncoder.parameters().forEach((key, p) -> loaded.put(key, p.get()));
        loras.set(List.of(LoraWeight.of("lora", file, 0.75)));
        Map<String, float[]> changed = new HashMap<>();
        unet.parameters().forEach((key, p) -> {
            if (p.get() != loaded.get(key)) {
                changed.put(key, p.get().toFloatArray());
            }
        });
        textEncoder.parameters().forEach((key, p) -> {
            if (p.get() != loaded.get(key)) {
                changed.put(key, p.get().toFloatArray());
            }
        });
        loras.restore();
        return changed;
    }

    private static void assertSameWeights(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, values) -> assertThat(Arrays.equals(actual.get(key), values)).as(key).isTrue());
    }

    private static String module(String key) {
        return key.substring(0, key.length() - ".weight".length());
    }

    /** A rank-1 layer with down = [[d]] and up = [[u]]: update u·d. */
    private Map<String, NDArray> pair(String layer, float down, float up) {
        return Map.of(layer + ".lora_down.weight", manager.create(new float[] {down}, new Shape(1, 1)),
                layer + ".lora_up.weight", manager.create(new float[] {up}, new Shape(1, 1)));
    }

    private Parameter parameter(String name, NDArray value) {
        return new Parameter(name, value);
    }

    private NDArray filled(float value, long... shape) {
        return manager.full(new Shape(shape), value);
    }

    private NDArray range(long... shape) {
        return manager.arange(1f, 1f + new Shape(shape).size()).reshape(shape);
    }

    private Path write(String name, Map<String, NDArray> tensors) throws Exception {
        Path file = dir.resolve(name);
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }
}
