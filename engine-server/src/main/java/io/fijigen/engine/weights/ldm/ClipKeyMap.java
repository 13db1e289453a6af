package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLIP ViT-L text encoder of SD 1.x ({@code cond_stage_model.transformer.}) and SDXL
 * ({@code conditioner.embedders.0.transformer.}), a Hugging Face CLIPTextModel saved inside the
 * checkpoint: its keys are already the transformers names, as the reference's
 * {@code convert_ldm_clip_checkpoint} finds; only the prefix goes.
 */
public final class ClipKeyMap {
    public static final String PREFIX = "cond_stage_model.transformer.";
    public static final String SDXL_PREFIX = "conditioner.embedders.0.transformer.";
    private static final String POSITION_IDS = "text_model.embeddings.position_ids";

    private ClipKeyMap() {}

    public static Map<String, TensorView> map(ComponentTensors clip) {
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        for (String key : clip.keys()) {
            if (!key.startsWith("text_model.")) {
                throw UNetKeyMap.unknown(clip, key);
            }
            mapped.put(key, clip.view(key).renamed(key));
        }
        return mapped;
    }

    /**
     * SDXL's: as {@link #map}, without the position ids (a constant buffer that transformers has
     * not saved since 4.31, so the published SDXL folders lack it; no network reads it).
     */
    public static Map<String, TensorView> mapSdxl(ComponentTensors clip) {
        Map<String, TensorView> mapped = map(clip);
        mapped.remove(POSITION_IDS);
        return mapped;
    }
}
