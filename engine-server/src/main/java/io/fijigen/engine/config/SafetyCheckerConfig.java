package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code CLIPConfig} of diffusers' {@code StableDiffusionSafetyChecker}
 * ({@code safety_checker/config.json}): its vision tower, and the width of the projection the
 * concept embeddings live in. The text tower's settings are not used.
 */
public record SafetyCheckerConfig(ClipVisionConfig vision, int projectionDim) {

    public static SafetyCheckerConfig read(Path file) throws IOException {
        ConfigFile config = ConfigFile.read(file);
        return new SafetyCheckerConfig(ClipVisionConfig.of(config.section("vision_config")),
                config.intValue("projection_dim", 512));
    }
}
