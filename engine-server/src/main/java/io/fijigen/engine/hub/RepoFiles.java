package io.fijigen.engine.hub;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which of a repo's files fijigen fetches: configs ({@code *.json}), tokenizer tables ({@code *.txt}) and
 * safetensors weights, never pickle ({@code .bin}, {@code .ckpt}, ...), ONNX, OpenVINO or Flax files, which
 * the engine cannot or must not load.
 *
 * <p>Of a pipeline repo ({@code model_index.json} at the top), the top level's configs and the component
 * folders its {@code model_index.json} lists: not the single-file checkpoints of the same weights at its
 * top level ({@code sd_xl_base_1.0.safetensors}), nor folders no component is (SDXL base's {@code vae_1_0/}
 * and its ONNX/OpenVINO {@code vae_decoder/}).
 *
 * <p>Of the weights, as diffusers' {@code from_pretrained} without a {@code variant}: in each folder the
 * plain files ({@code diffusion_pytorch_model.safetensors}, or its shards and index) when the folder has
 * them, else the fp16 variant ({@code <name>.fp16.safetensors}), else the first variant by name, so a repo
 * that also offers fp16, EMA and non-EMA copies is downloaded once, not three times.
 */
final class RepoFiles {
    static final String MODEL_INDEX = "model_index.json";
    private static final Pattern SHARD = Pattern.compile("-\\d+-of-\\d+$");
    private static final List<String> PICKLE = List.of(".bin", ".ckpt", ".pt", ".pth", ".pkl", ".pickle");
    private static final String SAFETENSORS = ".safetensors";
    private static final String SAFETENSORS_INDEX = ".safetensors.index.json";
    private static final String PLAIN = "";
    private static final String FP16 = "fp16";
    private static final String OPENVINO = "openvino_";

    private RepoFiles() {}

    /**
     * Refuses a repo one of whose folders holds its weights as pickle only, before anything is
     * fetched. A pipeline repo's top level is left out: its single-file checkpoints are never fetched.
     *
     * @param files the repo's files, as the hub lists them ({@code unet/config.json})
     * @throws HubException naming the pickle files and how to get safetensors
     */
    static void checkWeights(String repo, List<String> files) throws HubException {
        boolean pipeline = files.contains(MODEL_INDEX);
        Set<String> withSafetensors = new HashSet<>();
        Map<String, List<String>> pickles = new TreeMap<>();
        for (String file : files) {
            String folder = folder(file);
            if (pipeline && folder.isEmpty()) {
                continue;
            }
            if (isWeights(name(file))) {
                withSafetensors.add(folder);
            } else if (isPickle(name(file))) {
                pickles.computeIfAbsent(folder, f -> new ArrayList<>()).add(file);
            }
        }
        List<String> pickleOnly = pickles.entrySet().stream()
                .filter(folder -> !withSafetensors.contains(folder.getKey()))
                .flatMap(folder -> folder.getValue().stream()).toList();
        if (!pickleOnly.isEmpty()) {
            throw new HubException(repo + " offers only pickle weights (" + String.join(", ", pickleOnly)
                    + "): fijigen loads safetensors only; convert them to .safetensors (diffusers' save_pretrained"
                    + " with safe_serialization=True, or the hub's convert space), or pick a revision that has"
                    + " .safetensors files (conversion pull requests live at refs/pr/<n>)");
        }
    }

    /**
     * @param files the repo's files, as the hub lists them ({@code unet/config.json})
     * @param components a pipeline repo's component folders, as its {@code model_index.json} names them;
     *     empty for a repo of one model (a ControlNet, a LoRA), whose every folder counts
     */
    static List<String> select(List<String> files, Optional<Set<String>> components) {
        List<String> selected = new ArrayList<>();
        // folder → variant (PLAIN for the plain files) → weight files
        Map<String, TreeMap<String, List<String>>> weights = new TreeMap<>();
        for (String file : files) {
            String name = name(file);
            String top = topFolder(file);
            boolean wanted = components.isEmpty()
                    || (top.isEmpty() ? !isWeights(name) : components.get().contains(top));
            if (!wanted) {
                continue;
            }
            if (isWeights(name)) {
                weights.computeIfAbsent(folder(file), f -> new TreeMap<>())
                        .computeIfAbsent(variant(name), v -> new ArrayList<>()).add(file);
            } else if (name.endsWith(".json") || name.endsWith(".txt")) {
                selected.add(file);
            }
        }
        weights.values().forEach(variants -> selected.addAll(variants.containsKey(PLAIN) ? variants.get(PLAIN)
                : variants.containsKey(FP16) ? variants.get(FP16) : variants.firstEntry().getValue()));
        return selected;
    }

    /**
     * OpenVINO's {@code openvino_model.bin} (beside its {@code .xml}) is no pickle: a folder of those
     * alone (SDXL base's {@code vae_decoder/}) is one that is not fetched, not a reason to refuse.
     */
    private static boolean isPickle(String name) {
        return !name.startsWith(OPENVINO) && PICKLE.stream().anyMatch(name.toLowerCase(Locale.ROOT)::endsWith);
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

    private static String name(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** {@code unet/config.json} → {@code unet}; a top-level file → "". */
    private static String topFolder(String file) {
        int slash = file.indexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }
}
