package io.fijigen.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --lora FILE_OR_ID[:WEIGHT]} (repeatable) and {@code --lora-dir DIR}: LoRA files merged
 * into the model for the run, or with {@code --server} LoRA ids the server registers. Locally the
 * prompt's {@code <lora:NAME:WEIGHT>} tags name {@code NAME.safetensors} in the LoRA folder; with
 * {@code --server} the server resolves them against its ids.
 */
final class LoraOptions {
    @Option(names = "--lora", paramLabel = "FILE_OR_ID[:WEIGHT]", description = "a LoRA file (with --server, a"
            + " registered LoRA id) and its weight, default 1; repeat for several")
    List<String> loras = new ArrayList<>();

    @Option(names = "--lora-dir", paramLabel = "DIR", defaultValue = ".", description = "where the prompt's"
            + " <lora:NAME:WEIGHT> tags find NAME.safetensors (default: the current folder); not with --server")
    Path dir;

    /** One {@code --lora} value: what it names and its weight. */
    record Argument(String source, double weight) {

        /** The weight follows the last colon when it is a number, so Windows paths (C:\…) work. */
        static Argument parse(String value) {
            int colon = value.lastIndexOf(':');
            if (colon > 0) {
                try {
                    double weight = Double.parseDouble(value.substring(colon + 1));
                    if (!Double.isFinite(weight)) {
                        throw new IllegalArgumentException("--lora " + value + ": the weight is not a finite number");
                    }
                    return new Argument(value.substring(0, colon), weight);
                } catch (NumberFormatException e) {
                    // No weight: the colon is part of the name.
                }
            }
            return new Argument(value, 1.0);
        }
    }
}
