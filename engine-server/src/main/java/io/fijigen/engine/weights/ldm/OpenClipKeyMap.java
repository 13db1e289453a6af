package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenCLIP text tower to a transformers CLIP text model, as the reference's
 * {@code convert_open_clip_checkpoint}: SD 2.x's ViT-H/14 ({@code cond_stage_model.model.}) and
 * SDXL's ViT-bigG/14 ({@code conditioner.embedders.1.model.}).
 * <ul>
 *   <li>each fused {@code attn.in_proj_weight}/{@code in_proj_bias} (q, k and v stacked by rows)
 *       is split into {@code q_proj}, {@code k_proj}, {@code v_proj}: three byte ranges of it;
 *   <li>SD 2.x: the last resblock is dropped: SD 2.x conditions on the penultimate layer
 *       ({@code layer: "penultimate"}), so the reference's text encoder has 23 of the 24 layers and
 *       its final layer norm is applied after the 23rd (the reference drops resblock 23 by number;
 *       dropping the last is the same for ViT-H's 24 and holds for other depths, the tiny fixtures');
 *       {@code text_projection} is left out (the pipeline's CLIPTextModel has none);
 *   <li>SDXL: every layer is kept, as its CLIPTextModelWithProjection pools after the last one, and
 *       {@code text_projection}, stored [hidden, projection] and applied as {@code x @ P}, becomes
 *       the Linear weight {@code text_projection.weight}: its transpose;
 *   <li>{@code logit_scale} (CLIP's contrastive temperature) is left out, as the reference does.
 * </ul>
 */
public final class OpenClipKeyMap {
    public static final String PREFIX = "cond_stage_model.model.";
    public static final String SDXL_PREFIX = "conditioner.embedders.1.model.";
    private static final Pattern RESBLOCK = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LAYERS = Map.of(
            "positional_embedding", "text_model.embeddings.position_embedding.weight",
            "token_embedding.weight", "text_model.embeddings.token_embedding.weight",
            "ln_final.weight", "text_model.final_layer_norm.weight",
            "ln_final.bias", "text_model.final_layer_norm.bias");
    private static final Map<String, String> RESBLOCK_LAYERS = Map.of(
            "ln_1", "layer_norm1", "ln_2", "layer_norm2", "mlp.c_fc", "mlp.fc1", "mlp.c_proj", "mlp.fc2",
            "attn.out_proj", "self_attn.out_proj");
    private static final String PROJECTION = "text_projection";

    private OpenClipKeyMap() {}

    /** SD 2.x's text encoder: a CLIPTextModel without the last layer. */
    public static Map<String, TensorView> map(ComponentTensors openClip) {
        return map(openClip, openClip.countDistinct(RESBLOCK) - 1, false);
    }

    /** SDXL's second text encoder: a CLIPTextModelWithProjection with every layer. */
    public static Map<String, TensorView> mapWithProjection(ComponentTensors openClip) {
        return map(openClip, openClip.countDistinct(RESBLOCK), true);
    }

    private static Map<String, TensorView> map(ComponentTensors openClip, int kept, boolean withProjection) {
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        for (String key : openClip.keys()) {
            TensorView view = openClip.view(key);
            String fixed = LAYERS.get(key);
            Matcher block = RESBLOCK.matcher(key);
            if (fixed != null) {
                mapped.put(fixed, view.renamed(fixed));
            } else if (block.matches()) {
                int index = Integer.parseInt(block.group(1));
                if (index < kept) {
                    mapResblockTensor(openClip, key, "text_model.encoder.layers." + index + ".", block.group(2),
                            view, mapped);
                }
            } else if (key.equals(PROJECTION)) {
                if (withProjection) {
                    mapped.put(PROJECTION + ".weight", view.transpose().renamed(PROJECTION + ".weight"));
                }
            } else if (!key.equals("logit_scale")) {
                throw UNetKeyMap.unknown(openClip, key);
            }
        }
        return mapped;
    }

    private static void mapResblockTensor(ComponentTensors openClip, String key, String layer, String rest,
            TensorView view, Map<String, TensorView> mapped) {
        if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
            String suffix = rest.endsWith("weight") ? "_proj.weight" : "_proj.bias";
            long width = view.shape()[0] / 3;
            String[] parts = {"q", "k", "v"};
            for (int i = 0; i < 3; i++) {
                String target = layer + "self_attn." + parts[i] + suffix;
                mapped.put(target, view.rows(i * width, (i + 1) * width).renamed(target));
            }
            return;
        }
        int dot = rest.lastIndexOf('.');
        String module = dot < 0 ? null : RESBLOCK_LAYERS.get(rest.substring(0, dot));
        if (module == null) {
            throw UNetKeyMap.unknown(openClip, key);
        }
        String target = layer + module + rest.substring(dot);
        mapped.put(target, view.renamed(target));
    }
}
