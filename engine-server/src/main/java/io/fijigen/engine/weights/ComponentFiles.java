package io.fijigen.engine.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the safetensors files of a diffusers component folder ({@code unet/}, {@code vae/},
 * {@code text_encoder/}, ...).
 *
 * <p>diffusers names the weights {@code diffusion_pytorch_model.safetensors} (UNet, VAE,
 * ControlNet) and transformers names them {@code model.safetensors} (text encoders); large ones
 * are sharded with a {@code <name>.safetensors.index.json} whose {@code weight_map} maps each
 * tensor to its shard. A "variant" ({@code <name>.fp16.safetensors}) holds the same weights in
 * another precision; the full-precision file is preferred when both are present.
 */
public final class ComponentFiles {

    private static final List<String> BASE_NAMES = List.of("diffusion_pytorch_model", "model");
    private static final String SINGLE = ".safetensors";
    private static final String INDEX = ".safetensors.index.json";

    private ComponentFiles() {}

    public static List<Path> find(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model component folder " + dir + " does not exist");
        }
        for (String base : BASE_NAMES) {
            Path single = dir.resolve(base + SINGLE);
            if (Files.isRegularFile(single)) {
                return List.of(single);
            }
            Path index = dir.resolve(base + INDEX);
            if (Files.isRegularFile(index)) {
                return shards(index);
            }
        }
        List<String> names = listNames(dir);
        Optional<String> variantIndex = names.stream().filter(n -> n.endsWith(INDEX)).findFirst();
        if (variantIndex.isPresent()) {
            return shards(dir.resolve(variantIndex.get()));
        }
        Optional<String> variant = names.stream().filter(ComponentFiles::isVariant).findFirst();
        if (variant.isPresent()) {
            return List.of(dir.resolve(variant.get()));
        }
        throw new IOException("no safetensors weights in " + dir + " (looked for diffusion_pytorch_model"
                + SINGLE + ", model" + SINGLE + " or a *" + INDEX + "; found " + names + ")"
                + (names.stream().anyMatch(n -> n.endsWith(".bin"))
                        ? "; PyTorch .bin checkpoints are not supported, convert them to safetensors"
                        : ""));
    }

    /** {@code diffusion_pytorch_model.fp16.safetensors}, not a shard like {@code model-00001-of-00002}. */
    private static boolean isVariant(String name) {
        return name.endsWith(SINGLE)
                && BASE_NAMES.stream().anyMatch(base -> name.startsWith(base + "."));
    }

    private static List<Path> shards(Path index) throws IOException {
        JsonObject weightMap;
        try (Reader reader = Files.newBufferedReader(index)) {
            JsonElement root = JsonParser.parseReader(reader);
            JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
            if (map == null || !map.isJsonObject()) {
                throw new IOException(index + ": no \"weight_map\" object");
            }
            weightMap = map.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        Set<String> shardNames = new LinkedHashSet<>();
        for (var entry : weightMap.entrySet()) {
            JsonElement value = entry.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new IOException(index + ": weight_map entry '" + entry.getKey() + "' is not a file name");
            }
            shardNames.add(value.getAsString());
        }
        if (shardNames.isEmpty()) {
            throw new IOException(index + ": weight_map is empty");
        }
        List<Path> shards = new ArrayList<>();
        for (String name : shardNames) {
            Path shard = index.resolveSibling(name);
            if (!Files.isRegularFile(shard)) {
                throw new IOException(index + " names shard " + name + ", which is missing from " + index.getParent());
            }
            shards.add(shard);
        }
        return shards;
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
