package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SD 1.x's text encoder ({@code cond_stage_model.transformer.}, a Hugging Face CLIPTextModel saved
 * inside the LDM checkpoint): its keys are already the transformers names, as the reference's
 * {@code convert_ldm_clip_checkpoint} finds; only the prefix goes.
 */
public final class ClipKeyMap {
    public static final String PREFIX = "cond_stage_model.transformer.";

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
}
