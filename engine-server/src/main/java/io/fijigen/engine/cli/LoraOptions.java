package io.fijigen.engine.cli;

import io.fijigen.engine.text.LoraTags;
import io.fijigen.engine.weights.LoraWeight;
import io.fijigen.proto.v1.Lora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** The LoRA files of a local run: the {@code --lora} files, then the prompt's tags, each file once. */
    List<LoraWeight> local(List<LoraTags.Tag> tags) throws IOException {
        List<LoraWeight> resolved = new ArrayList<>();
        Map<Path, String> namedBy = new HashMap<>();
        for (String value : loras) {
            Argument argument = Argument.parse(value);
            Path file = Path.of(argument.source());
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "--lora: no such LoRA file");
            }
            resolved.add(LoraWeight.of(stem(file), once(file, "--lora " + value, namedBy), argument.weight()));
        }
        for (LoraTags.Tag tag : tags) {
            Path file = dir.resolve(tag.name() + ".safetensors");
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "--prompt " + tag.text()
                        + ": no such LoRA file (tags name NAME.safetensors in --lora-dir)");
            }
            resolved.add(new LoraWeight(tag.name(), once(file, tag.text(), namedBy), tag.textEncoderWeight(),
                    tag.unetWeight()));
        }
        return resolved;
    }

    /** The {@code --lora} values as the request's LoRAs by id. */
    List<Lora> remote() {
        return loras.stream().map(Argument::parse)
                .map(argument -> Lora.newBuilder().setId(argument.source()).setWeight(argument.weight()).build())
                .toList();
    }

    private static Path once(Path file, String what, Map<Path, String> namedBy) throws IOException {
        String earlier = namedBy.putIfAbsent(file.toRealPath(), what);
        if (earlier != null) {
            throw new IllegalArgumentException(what + ": the LoRA " + file + " is already given by " + earlier);
        }
        return file;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }
}
