package io.fijigen.engine.server;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A model's own defaults for the request fields a client leaves unset (SD 2 models want 768²,
 * Turbo-style models few steps and no guidance); empty fields fall back to the server's defaults.
 */
public record GenerationDefaults(
        OptionalInt steps, OptionalDouble guidance, OptionalInt width, OptionalInt height, Optional<String> scheduler) {

    public static final GenerationDefaults NONE = new GenerationDefaults(
            OptionalInt.empty(), OptionalDouble.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
}
