package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA safetensors file: for each adapted Linear or Conv2d of a UNet or text encoder, a low-rank
 * pair (down: [rank, in(, kh, kw)], up: [out, rank(, 1, 1)]) and an optional alpha, the layer's
 * update being {@code (alpha / rank) · up @ down}. Two key styles are read:
 * <ul>
 *   <li>kohya's: {@code lora_unet_<module path, dots as underscores>.lora_down.weight},
 *       {@code .lora_up.weight}, {@code .alpha}, and {@code lora_te_…} for the text encoder; conv
 *       layers (LoCon) have 4-D pairs, the kernel on the down half;</li>
 *   <li>diffusers/PEFT's: {@code unet.<module path>.lora_A.weight} (down), {@code .lora_B.weight}
 *       (up), optional {@code .alpha}, and {@code text_encoder.<module path>…}.</li>
 * </ul>
 * Without an alpha the scale is 1 (alpha = rank), as both kohya and PEFT do.
 */
public final class LoraFile implements AutoCloseable {

    /** The network a layer belongs to. */
    public enum Network {
        UNET,
        TEXT_ENCODER
    }

    /**
     * One adapted layer.
     *
     * @param name the module as the file names it: kohya's flattened name after {@code lora_unet_}
     *     or {@code lora_te_}, or the module path after {@code unet.} or {@code text_encoder.}
     * @param kohya whether {@code name} is kohya's flattened form (dots turned into underscores)
     * @param alphaKey null when the file has no alpha for the layer
     */
    public record Layer(Network network, String name, boolean kohya, String downKey, String upKey, String alphaKey) {}

    private static final Pattern KOHYA = Pattern.compile("lora_(unet|te)_(.+)\\.(lora_down\\.weight|lora_up\\.weight|alpha)");
    private static final Pattern PEFT = Pattern.compile("(unet|text_encoder)\\.(.+)\\.(lora_A\\.weight|lora_B\\.weight|alpha)");
    /** Key parts of LyCORIS variants (LoHa, LoKr, CP decomposition, DoRA) and full-weight diffs. */
    private static final Pattern LYCORIS = Pattern.compile(".*\\.(hada_|lokr_|lora_mid|dora_scale|diff|w_norm|b_norm).*");

    private final SafetensorsFile file;
    private final List<Layer> layers;

    private LoraFile(SafetensorsFile file, List<Layer> layers) {
        this.file = file;
        this.layers = List.copyOf(layers);
    }

    /**
     * Opens a LoRA file and reads its layers from the header.
     *
     * @throws IllegalArgumentException naming the file and the key, when a key is in neither style
     *     or a layer lacks its down or up half
     */
    public static LoraFile open(Path path) throws IOException {
        SafetensorsFile file = SafetensorsFile.open(path);
        try {
            return new LoraFile(file, layersOf(file));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The layer's rank: the rows of its down weight. */
    public long rank(Layer layer) {
        return file.info(layer.downKey()).shape()[0];
    }

    /** Whether the layer adapts a convolution with a kernel wider than 1 (a LoCon layer). */
    public boolean isConvolution(Layer layer) {
        long[] down = file.info(layer.downKey()).shape();
        return down.length == 4 && (down[2] > 1 || down[3] > 1);
    }

    /** Whether a file's keys include LoRA ones: such a file is opened as a LoRA, and its errors are a LoRA's. */
    public static boolean looksLikeLora(Set<String> keys) {
        return keys.stream().anyMatch(key -> key.startsWith("lora_unet_") || key.startsWith("lora_te_")
                || PEFT.matcher(key).matches());
    }

    /**
     * The layer's update {@code weight · (alpha / rank) · up @ down} as a float32 [out, in·kh·kw]
     * matrix in {@code manager}; the caller reshapes it to the layer's weight. A 3×3 down with a
     * 1×1 up (LoCon) multiplies out the same way: up mixes the rank channels of every kernel tap.
     */
    NDArray delta(Layer layer, double weight, NDManager manager) {
        NDArray down = load(layer.downKey(), manager);
        NDArray up = load(layer.upKey(), manager);
        long[] downShape = down.getShape().getShape();
        long[] upShape = up.getShape().getShape();
        long rank = downShape[0];
        boolean upIsMatrix = upShape.length == 2 || upShape.length == 4 && upShape[2] == 1 && upShape[3] == 1;
        if ((downShape.length != 2 && downShape.length != 4) || !upIsMatrix || upShape[1] != rank) {
            throw new IllegalArgumentException(this + ": layer '" + layer.name() + "' has down " + down.getShape()
                    + " and up " + up.getShape() + "; expected down [rank, in] or [rank, in, kh, kw] and up [out, rank]"
                    + " or [out, rank, 1, 1]");
        }
        double alpha = layer.alphaKey() == null ? rank : load(layer.alphaKey(), manager).getFloat();
        float scale = (float) (weight * alpha / rank);
        return up.reshape(upShape[0], rank).matMul(down.reshape(rank, -1)).mul(scale);
    }

    private NDArray load(String key, NDManager manager) {
        return TensorLoader.load(manager, file.info(key), file.data(key), DataType.FLOAT32);
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "LoRA " + file.path().getFileName();
    }

    /** The keys of one layer as the header lists them. */
    private static final class Keys {
        final Network network;
        final String module;
        final boolean kohya;
        String down;
        String up;
        String alpha;

        Keys(Network network, String module, boolean kohya) {
            this.network = network;
            this.module = module;
            this.kohya = kohya;
        }
    }

    private static List<Layer> layersOf(SafetensorsFile file) {
        String name = "LoRA " + file.path().getFileName();
        Map<String, Keys> byLayer = new LinkedHashMap<>();
        for (String key : file.names()) {
            Matcher kohya = KOHYA.matcher(key);
            Matcher peft = PEFT.matcher(key);
            Matcher match = kohya.matches() ? kohya : peft.matches() ? peft : null;
            if (match == null) {
                throw new IllegalArgumentException(name + ": key '" + key + "' "
                        + (LYCORIS.matcher(key).matches()
                                ? "belongs to a LyCORIS variant (LoHa, LoKr, CP or DoRA), which is not supported"
                                : "is not a LoRA key this engine reads (kohya lora_unet_*/lora_te_* with lora_down,"
                                        + " lora_up and alpha, or PEFT unet.*/text_encoder.* with lora_A and lora_B)"));
            }
            Network network = match.group(1).equals("unet") ? Network.UNET : Network.TEXT_ENCODER;
            Keys keys = byLayer.computeIfAbsent(match.group(1) + ":" + match.group(2),
                    unused -> new Keys(network, match.group(2), match == kohya));
            switch (match.group(3)) {
                case "lora_down.weight", "lora_A.weight" -> keys.down = key;
                case "lora_up.weight", "lora_B.weight" -> keys.up = key;
                default -> keys.alpha = key;
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (Keys keys : byLayer.values()) {
            if (keys.down == null || keys.up == null) {
                throw new IllegalArgumentException(name + ": layer '" + keys.module + "' has no "
                        + (keys.down == null ? "down (lora_down / lora_A)" : "up (lora_up / lora_B)") + " weight");
            }
            layers.add(new Layer(keys.network, keys.module, keys.kohya, keys.down, keys.up, keys.alpha));
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(name + ": holds no LoRA layers");
        }
        return layers;
    }
}
