package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorInfo;
import io.fijigen.engine.weights.TensorView;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tensors of one component of an LDM checkpoint ({@code model.diffusion_model.},
 * {@code first_stage_model.}, ...), by key relative to the component's prefix, from the header
 * alone.
 */
public final class ComponentTensors {
    private final String prefix;
    private final Map<String, TensorInfo> byKey;

    private ComponentTensors(String prefix, Map<String, TensorInfo> byKey) {
        this.prefix = prefix;
        this.byKey = byKey;
    }

    public static ComponentTensors under(Collection<TensorInfo> tensors, String prefix) {
        Map<String, TensorInfo> byKey = new LinkedHashMap<>();
        for (TensorInfo tensor : tensors) {
            if (tensor.name().startsWith(prefix)) {
                byKey.put(tensor.name().substring(prefix.length()), tensor);
            }
        }
        return new ComponentTensors(prefix, byKey);
    }

    public String prefix() {
        return prefix;
    }

    public Set<String> keys() {
        return byKey.keySet();
    }

    public boolean has(String key) {
        return byKey.containsKey(key);
    }

    /** The whole tensor at {@code key} (relative), still under its checkpoint key. */
    public TensorView view(String key) {
        TensorInfo info = byKey.get(key);
        if (info == null) {
            throw new LdmFormatException("the checkpoint has no tensor " + prefix + key
                    + "; it is not a complete " + describe() + " (a pruned or partial file?)");
        }
        return TensorView.of(info);
    }

    /** Dimension {@code dim} of the tensor at {@code key}. */
    public long dim(String key, int dim) {
        long[] shape = view(key).shape();
        if (dim >= shape.length) {
            throw new LdmFormatException(prefix + key + " has shape " + Arrays.toString(shape)
                    + ", expected at least " + (dim + 1) + " dimensions");
        }
        return shape[dim];
    }

    /** How many distinct values the first group of {@code pattern} takes over the keys (block counts). */
    public int countDistinct(Pattern pattern) {
        return (int) byKey.keySet().stream()
                .map(pattern::matcher)
                .filter(Matcher::lookingAt)
                .map(m -> m.group(1))
                .distinct()
                .count();
    }

    private String describe() {
        return "component '" + prefix.replaceAll("\\.$", "") + "'";
    }
}
