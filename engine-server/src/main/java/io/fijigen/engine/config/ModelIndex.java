package io.fijigen.engine.config;

import com.google.gson.JsonArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A diffusers {@code model_index.json}: the pipeline class and its components.
 *
 * @param components name → (library, class) for each component that is present; entries the
 *     reference writes as {@code [null, null]} (no safety checker, say) are left out
 * @param maxNoiseLevel the x4 upscaler's noise-level limit, null for other pipelines
 * @param forceZerosForEmptyPrompt SDXL pipelines: a negative prompt that is not given is all-zero
 *     embeddings rather than the encoded empty prompt (their default, true)
 */
public record ModelIndex(
        String pipelineClass,
        Map<String, Component> components,
        Integer maxNoiseLevel,
        boolean requiresSafetyChecker,
        boolean forceZerosForEmptyPrompt) {

    /** One component: which library's class loads the subfolder of the same name. */
    public record Component(String library, String className) {}

    public static ModelIndex read(Path file) throws IOException {
        ConfigFile config = ConfigFile.read(file);
        Map<String, Component> components = new LinkedHashMap<>();
        for (String key : config.keys()) {
            if (key.startsWith("_")) {
                continue;
            }
            JsonArray pair = config.componentPair(key);
            if (pair != null && !pair.get(0).isJsonNull() && !pair.get(1).isJsonNull()) {
                components.put(key, new Component(pair.get(0).getAsString(), pair.get(1).getAsString()));
            }
        }
        return new ModelIndex(
                config.string("_class_name", ""),
                components,
                config.optionalInt("max_noise_level"),
                config.boolValue("requires_safety_checker", true),
                config.boolValue("force_zeros_for_empty_prompt", true));
    }
}
