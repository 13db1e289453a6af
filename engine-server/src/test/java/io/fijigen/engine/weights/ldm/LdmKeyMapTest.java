package io.fijigen.engine.weights.ldm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.TensorDtype;
import io.fijigen.engine.weights.TensorInfo;
import io.fijigen.engine.weights.TensorView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The full key and shape mapping of real checkpoints (SD 1.5 v1-5-pruned, SD 2.1, the SD 1.5 canny
 * ControlNet), against the reference's own conversion run on their key lists (test resources
 * {@code ldm-keys/}, made by {@code tools/ldm-keys/generate_key_lists.py}): every original key maps
 * to the reference's diffusers keys and shapes, and nothing else is mapped. Headers only: the
 * tensors are synthetic header entries, no weights.
 */
class LdmKeyMapTest {

    /** One line of a key list: an LDM tensor and one diffusers tensor made from it ("-" when dropped). */
    private record Mapping(String ldmKey, long[] ldmShape, String diffusersKey, String diffusersShape) {}

    @Test
    void sd15EveryKeyMapsAsTheReference() throws IOException {
        List<Mapping> expected = read("sd15.tsv.gz");
        List<TensorInfo> header = header(expected);
        assertThat(LdmLayout.detect(Path.of("sd15.safetensors"), header)).isEqualTo(LdmLayout.STABLE_DIFFUSION_1);
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        mapped.putAll(UNetKeyMap.map(ComponentTensors.under(header, LdmLayout.UNET_PREFIX)));
        mapped.putAll(VaeKeyMap.map(ComponentTensors.under(header, LdmLayout.VAE_PREFIX)));
        mapped.putAll(ClipKeyMap.map(ComponentTensors.under(header, ClipKeyMap.PREFIX)));
        assertSameMapping(expected, mapped);
        System.out.printf("sd15: %d LDM tensors -> %d diffusers tensors, as the reference%n", header.size(), mapped.size());

        LdmConfigInference configs = new LdmConfigInference("sd15.safetensors", LdmLayout.STABLE_DIFFUSION_1,
                Optional.empty(), Optional.empty());
        UNet2DConditionConfig unet = UNet2DConditionConfig.from(
                configs.unet(ComponentTensors.under(header, LdmLayout.UNET_PREFIX)));
        assertThat(unet.attentionHeads()).containsExactly(8, 8, 8, 8);
        assertThat(unet.blockOutChannels()).containsExactly(320, 640, 1280, 1280);
        assertThat(unet.crossAttentionDim()).isEqualTo(768);
        assertThat(unet.useLinearProjection()).isFalse();
        ClipTextConfig text = ClipTextConfig.from(configs.textEncoder(textComponent(mapped)));
        assertThat(text.numHiddenLayers()).isEqualTo(12);
        assertThat(text.numAttentionHeads()).isEqualTo(12);
        assertThat(text.hiddenAct()).isEqualTo("quick_gelu");
    }

    @Test
    void sd21EveryKeyMapsAsTheReference() throws IOException {
        List<Mapping> expected = read("sd21.tsv.gz");
        List<TensorInfo> header = header(expected);
        assertThat(LdmLayout.detect(Path.of("sd21.safetensors"), header)).isEqualTo(LdmLayout.STABLE_DIFFUSION_2);
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        mapped.putAll(UNetKeyMap.map(ComponentTensors.under(header, LdmLayout.UNET_PREFIX)));
        mapped.putAll(VaeKeyMap.map(ComponentTensors.under(header, LdmLayout.VAE_PREFIX)));
        mapped.putAll(OpenClipKeyMap.map(ComponentTensors.under(header, OpenClipKeyMap.PREFIX)));
        assertSameMapping(expected, mapped);
        System.out.printf("sd21: %d LDM tensors -> %d diffusers tensors, as the reference%n", header.size(), mapped.size());

        LdmConfigInference configs = new LdmConfigInference("sd21.safetensors", LdmLayout.STABLE_DIFFUSION_2,
                Optional.empty(), Optional.empty());
        UNet2DConditionConfig unet = UNet2DConditionConfig.from(
                configs.unet(ComponentTensors.under(header, LdmLayout.UNET_PREFIX)));
        assertThat(unet.attentionHeads()).containsExactly(5, 10, 20, 20);
        assertThat(unet.crossAttentionDim()).isEqualTo(1024);
        assertThat(unet.useLinearProjection()).isTrue();
        assertThat(unet.upcastAttention()).isTrue();
        ClipTextConfig text = ClipTextConfig.from(configs.textEncoder(textComponent(mapped)));
        assertThat(text.numHiddenLayers()).isEqualTo(23);
        assertThat(text.numAttentionHeads()).isEqualTo(16);
        assertThat(text.hiddenAct()).isEqualTo("gelu");
        assertThat(configs.scheduler().string("prediction_type", "")).isEqualTo("v_prediction");
        assertThat(unet.sampleSize()).isEqualTo(96);
        LdmConfigInference base = new LdmConfigInference("sd21-base.safetensors", LdmLayout.STABLE_DIFFUSION_2,
                Optional.empty(), Optional.of("epsilon"));
        assertThat(base.scheduler().string("prediction_type", "")).isEqualTo("epsilon");
    }

    @Test
    void controlNetSd15EveryKeyMapsAsTheReference() throws IOException {
        List<Mapping> expected = read("controlnet_sd15.tsv.gz");
        List<TensorInfo> header = header(expected);
        assertThat(LdmLayout.detect(Path.of("control.safetensors"), header)).isEqualTo(LdmLayout.CONTROLNET);
        ComponentTensors control = ComponentTensors.under(header, LdmLayout.controlNetPrefix(header));
        assertSameMapping(expected, ControlNetKeyMap.map(control));

        ControlNetConfig config = ControlNetConfig.from(new LdmConfigInference("control.safetensors",
                LdmLayout.CONTROLNET, Optional.empty(), Optional.empty()).controlNet(control));
        assertThat(config.conditioningEmbeddingOutChannels()).containsExactly(16, 32, 96, 256);
        assertThat(config.unet().attentionHeads()).containsExactly(8, 8, 8, 8);
    }

    private static ComponentTensors textComponent(Map<String, TensorView> mapped) {
        return ComponentTensors.under(mapped.values().stream().map(TensorView::info)
                .filter(info -> info.name().startsWith("text_model.")).toList(), "");
    }

    private static void assertSameMapping(List<Mapping> expected, Map<String, TensorView> mapped) {
        Set<String> want = new TreeSet<>();
        for (Mapping m : expected) {
            if (!m.diffusersKey().equals("-")) {
                want.add(m.ldmKey() + " -> " + m.diffusersKey() + " " + m.diffusersShape());
            }
        }
        Set<String> got = new TreeSet<>();
        mapped.forEach((key, view) -> {
            assertThat(view.key()).isEqualTo(key);
            got.add(view.source() + " -> " + key + " " + shape(view.shape()));
        });
        assertThat(got).as("mapped keys and shapes").containsExactlyElementsOf(want);
    }

    /** Synthetic F16 header entries, laid out one after another. */
    private static List<TensorInfo> header(List<Mapping> mappings) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        mappings.forEach(m -> shapes.putIfAbsent(m.ldmKey(), m.ldmShape()));
        List<TensorInfo> infos = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long bytes = Arrays.stream(e.getValue()).reduce(1, Math::multiplyExact) * 2;
            infos.add(new TensorInfo(e.getKey(), TensorDtype.F16, e.getValue(), offset, offset + bytes));
            offset += bytes;
        }
        return infos;
    }

    private static List<Mapping> read(String resource) throws IOException {
        List<Mapping> mappings = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                LdmKeyMapTest.class.getResourceAsStream("/ldm-keys/" + resource)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] fields = line.split("\t", -1);
                long[] shape = fields[1].isEmpty() ? new long[0]
                        : Arrays.stream(fields[1].split(",")).mapToLong(Long::parseLong).toArray();
                mappings.add(new Mapping(fields[0], shape, fields[2], fields[3]));
            }
        }
        assertThat(mappings).as(resource).hasSizeGreaterThan(300);
        return mappings;
    }

    private static String shape(long[] shape) {
        return String.join(",", Arrays.stream(shape).mapToObj(Long::toString).toList());
    }
}
