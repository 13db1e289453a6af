package io.fijigen.engine.weights;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A LoRA asked for by a job: its file and how strongly it applies to each network, as web UIs'
 * {@code <lora:name:te:unet>}. 0 leaves that network untouched, 1 is the LoRA as trained.
 *
 * @param name how prompts and the PNG parameters name it (a registry id, or the file's stem)
 */
public record LoraWeight(String name, Path file, double textEncoderWeight, double unetWeight) {

    public LoraWeight {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        if (!Double.isFinite(textEncoderWeight) || !Double.isFinite(unetWeight)) {
            throw new IllegalArgumentException("LoRA '" + name + "': weights must be finite numbers, got "
                    + textEncoderWeight + " and " + unetWeight);
        }
    }

    /** The same weight on both networks. */
    public static LoraWeight of(String name, Path file, double weight) {
        return new LoraWeight(name, file, weight, weight);
    }
}
