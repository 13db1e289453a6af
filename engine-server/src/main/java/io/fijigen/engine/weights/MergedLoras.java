package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.weights.ldm.SgmLoraNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoRAs merged into one model's UNet and text encoder(s) now. Merging replaces each touched weight
 * by {@code W + Σ weight · (alpha / rank) · up @ down} and keeps the loaded tensor aside; taking the
 * LoRAs out puts the loaded tensors back, so the model is bit for bit as loaded, with no reload and
 * no drift from subtracting what was added. Only the touched weights take extra memory.
 *
 * <p>Thread-safe, but a job must not run on the model while another job changes its LoRAs: jobs on
 * one model run one at a time.
 */
public final class MergedLoras {
    private static final Pattern FIRST_LEVEL_RESNET = Pattern.compile("down_blocks\\.0\\.resnets\\.(\\d+)\\..*");

    private final LoraFamily family;
    /** Resnets per UNet level, which places the original SGM block numbers; 0 without a UNet. */
    private final int layersPerBlock;
    private final Map<LoraFile.Network, Map<String, Parameter>> byModulePath = new HashMap<>();
    private final Map<LoraFile.Network, Map<String, List<Parameter>>> byKohyaName = new HashMap<>();
    /** The loaded tensor of every weight a merged LoRA replaced. */
    private final Map<Parameter, NDArray> originals = new LinkedHashMap<>();
    private List<LoraWeight> merged = List.of();

    /**
     * @param unet the UNet's Linear and Conv2d weights by diffusers key
     * @param textEncoder the text encoder's Linear weights by transformers key ({@code text_model.…})
     */
    public MergedLoras(Map<String, Parameter> unet, Map<String, Parameter> textEncoder) {
        this(unet, textEncoder, Map.of());
    }

    /**
     * An SDXL model's, when {@code textEncoder2} is not empty.
     *
     * @param textEncoder2 SDXL's second text encoder's Linear weights by transformers key
     *     ({@code text_model.…}, {@code text_projection.weight})
     */
    public MergedLoras(Map<String, Parameter> unet, Map<String, Parameter> textEncoder,
            Map<String, Parameter> textEncoder2) {
        family = textEncoder2.isEmpty() ? LoraFamily.STABLE_DIFFUSION : LoraFamily.STABLE_DIFFUSION_XL;
        layersPerBlock = (int) unet.keySet().stream().map(FIRST_LEVEL_RESNET::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).distinct().count();
        index(LoraFile.Network.UNET, unet);
        index(LoraFile.Network.TEXT_ENCODER, textEncoder);
        index(LoraFile.Network.TEXT_ENCODER_2, textEncoder2);
    }

    /**
     * Kohya names a module by its path with dots turned into underscores; mapping the model's own
     * paths that way (rather than guessing where dots were) finds each one exactly.
     */
    private void index(LoraFile.Network network, Map<String, Parameter> parameters) {
        Map<String, Parameter> modules = new HashMap<>();
        Map<String, List<Parameter>> kohya = new HashMap<>();
        parameters.forEach((key, parameter) -> {
            if (key.endsWith(".weight")) {
                String module = key.substring(0, key.length() - ".weight".length());
                modules.put(module, parameter);
                kohya.computeIfAbsent(module.replace('.', '_'), unused -> new ArrayList<>()).add(parameter);
            }
        });
        byModulePath.put(network, modules);
        byKohyaName.put(network, kohya);
    }

    /** The LoRAs merged now, in merge order; empty when the weights are as loaded. */
    public synchronized List<LoraWeight> current() {
        return merged;
    }

    /**
     * Makes {@code loras} the merged set: nothing happens when it already is; otherwise the weights
     * are restored and the LoRAs merged in order. When a LoRA cannot be merged (a file that is not a
     * LoRA, a layer the model does not have or of another size), the weights are left as loaded.
     */
    public synchronized void set(List<LoraWeight> loras) throws IOException {
        if (loras.equals(merged)) {
            return;
        }
        restore();
        try {
            for (LoraWeight lora : loras) {
                merge(lora);
            }
            merged = List.copyOf(loras);
        } catch (IOException | RuntimeException e) {
            restore();
            throw e;
        }
    }

    /** Puts every loaded tensor back and frees the merged ones. */
    public synchronized void restore() {
        originals.forEach((parameter, original) -> {
            NDArray replaced = parameter.get();
            parameter.set(original);
            if (replaced != original) {
                replaced.close();
            }
        });
        originals.clear();
        merged = List.of();
    }

    private void merge(LoraWeight lora) throws IOException {
        try (LoraFile file = LoraFile.open(lora.file())) {
            targets(file).forEach((layer, target) -> {
                // SDXL's two text encoders take the one text-encoder weight, as in web UIs' <lora:name:te:unet>.
                double weight = layer.network() == LoraFile.Network.UNET ? lora.unetWeight() : lora.textEncoderWeight();
                if (weight != 0) {
                    add(file, layer, weight, target);
                }
            });
        }
    }

    /**
     * The weight each layer of {@code file} adapts. Every layer is resolved before any is merged,
     * so a LoRA for another model changes nothing.
     *
     * @throws IllegalArgumentException naming the family, for a LoRA whose keys tell another family
     *     than the model's; naming the layer, for one the model lacks
     */
    Map<LoraFile.Layer, Parameter> targets(LoraFile file) {
        file.family().filter(other -> other != family).ifPresent(other -> {
            throw new IllegalArgumentException(file + " is for " + other.description() + " and the model is "
                    + family.description() + ": use a LoRA made for " + family.description());
        });
        Map<LoraFile.Layer, Parameter> targets = new LinkedHashMap<>();
        for (LoraFile.Layer layer : file.layers()) {
            targets.put(layer, target(file, layer));
        }
        return targets;
    }

    private Parameter target(LoraFile file, LoraFile.Layer layer) {
        String network = layer.network().description();
        if (!layer.kohya()) {
            Parameter target = byModulePath.get(layer.network()).get(layer.name());
            if (target == null) {
                throw new IllegalArgumentException(file + ": layer '" + layer.name() + "' is not a Linear or Conv2d of"
                        + " the model's " + network + " (a LoRA for another model?)");
            }
            return target;
        }
        List<Parameter> matches = kohyaMatches(layer);
        if (matches.size() != 1) {
            throw new IllegalArgumentException(file + ": layer '" + layer.name() + "' "
                    + (matches.isEmpty() ? "names no Linear or Conv2d of the model's " + network
                            + " (a LoRA for another model?)"
                            : "is ambiguous in the model's " + network + ": " + matches));
        }
        return matches.get(0);
    }

    /** The weights kohya's name can mean: the module path with dots as underscores, in diffusers' names or SGM's. */
    private List<Parameter> kohyaMatches(LoraFile.Layer layer) {
        Map<String, List<Parameter>> byName = byKohyaName.get(layer.network());
        List<Parameter> matches = byName.getOrDefault(layer.name(), List.of());
        if (!matches.isEmpty() || layer.network() != LoraFile.Network.UNET || layersPerBlock == 0) {
            return matches;
        }
        return SgmLoraNames.diffusersName(layer.name(), layersPerBlock)
                .map(name -> byName.getOrDefault(name, List.of()))
                .orElse(List.of());
    }

    /**
     * Replaces the target by itself plus the layer's update, computed in float32 and stored in the
     * weight's own type, in the manager that owns the loaded tensor.
     */
    private void add(LoraFile file, LoraFile.Layer layer, double weight, Parameter target) {
        NDArray current = target.get();
        NDArray original = originals.computeIfAbsent(target, unused -> current);
        NDManager owner = original.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray delta = file.delta(layer, weight, scope);
            if (delta.size() != current.size()) {
                throw new IllegalArgumentException(file + ": layer '" + layer.name() + "' updates "
                        + delta.getShape() + " but the model's " + target.name() + " is " + current.getShape()
                        + " (a LoRA for another model size?)");
            }
            // The delta first: DJL puts a result in its first operand's manager, here the scope.
            NDArray sum = delta.reshape(current.getShape()).add(current);
            NDArray updated = sum.toType(current.getDataType(), false);
            updated.attach(owner);
            target.set(updated);
        }
        if (current != original) {
            current.close();
        }
    }
}
