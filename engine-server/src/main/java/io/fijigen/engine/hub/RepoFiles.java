package io.fijigen.engine.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which of a repo's files fijigen fetches: configs ({@code *.json}), tokenizer tables ({@code *.txt}) and
 * safetensors weights, never pickle ({@code .bin}, {@code .ckpt}, ...), ONNX or Flax files, which the
 * engine cannot or must not load.
 *
 * <p>Of the weights, as diffusers' {@code from_pretrained} without a {@code variant}: in each folder the
 * plain files ({@code diffusion_pytorch_model.safetensors}, or its shards and index) when the folder has
 * them, else one variant ({@code <name>.fp16.safetensors}, {@code <name>.non_ema.safetensors}, the first by
 * name), so a repo that also offers fp16 and non-EMA copies is downloaded once, not three times. A
 * pipeline repo ({@code model_index.json} at the top) often carries single-file checkpoints of the same
 * weights at its top level; those are skipped too.
 */
final class RepoFiles {
    private static final Pattern SHARD = Pattern.compile("-\\d+-of-\\d+$");
    private static final List<String> PICKLE = List.of(".bin", ".ckpt", ".pt", ".pth", ".pkl", ".pickle");
    private static final String SAFETENSORS = ".safetensors";
    private static final String SAFETENSORS_INDEX = ".safetensors.index.json";

    private RepoFiles() {}

    /**
     * @param files the repo's files, as the hub lists them ({@code unet/config.json})
     * @throws HubException a folder whose weights are pickle only
     */
    static List<String> select(String repo, List<String> files) throws HubException {
        boolean pipeline = files.contains("model_index.json");
        List<String> selected = new ArrayList<>();
        // folder → variant ("" for the plain files) → weight files
        Map<String, TreeMap<String, List<String>>> weights = new TreeMap<>();
        Map<String, List<String>> pickles = new TreeMap<>();
        for (String file : files) {
            String folder = folder(file);
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (isWeights(name)) {
                if (!(pipeline && folder.isEmpty())) {
                    weights.computeIfAbsent(folder, f -> new TreeMap<>())
                            .computeIfAbsent(variant(name), v -> new ArrayList<>()).add(file);
                }
            } else if (name.endsWith(".json") || name.endsWith(".txt")) {
                selected.add(file);
            } else if (PICKLE.stream().anyMatch(name.toLowerCase(Locale.ROOT)::endsWith)) {
                pickles.computeIfAbsent(folder, f -> new ArrayList<>()).add(file);
            }
        }
        List<String> pickleOnly = new ArrayList<>();
        pickles.forEach((folder, pickleFiles) -> {
            if (!weights.containsKey(folder) && !(pipeline && folder.isEmpty())) {
                pickleOnly.addAll(pickleFiles);
            }
        });
        if (!pickleOnly.isEmpty()) {
            throw new HubException(repo + " offers only pickle weights (" + String.join(", ", pickleOnly)
                    + "): fijigen loads safetensors only; convert them to .safetensors (diffusers' save_pretrained"
                    + " with safe_serialization=True, or the hub's convert space), or pick a revision that has"
                    + " .safetensors files (conversion pull requests live at refs/pr/<n>)");
        }
        // The plain files sort first (""); otherwise the first variant by name.
        weights.values().forEach(variants -> selected.addAll(variants.firstEntry().getValue()));
        return selected;
    }

    private static boolean isWeights(String name) {
        return name.endsWith(SAFETENSORS) || name.endsWith(SAFETENSORS_INDEX);
    }

    /** {@code model.fp16-00001-of-00002.safetensors} → {@code fp16}; {@code model.safetensors} → "". */
    private static String variant(String name) {
        String stem = name.endsWith(SAFETENSORS_INDEX)
                ? name.substring(0, name.length() - SAFETENSORS_INDEX.length())
                : name.substring(0, name.length() - SAFETENSORS.length());
        stem = SHARD.matcher(stem).replaceFirst("");
        int dot = stem.indexOf('.');
        return dot < 0 ? "" : stem.substring(dot + 1);
    }

    private static String folder(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }
}
