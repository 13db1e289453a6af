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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA safetensors file: for each adapted Linear or Conv2d of a UNet or text encoder, a low-rank
 * pair (down: [rank, in(, kh, kw)], up: [out, rank(, 1, 1)]) and an optional alpha, the layer's
 * update being {@code (alpha / rank) · up @ down}. Two key styles are read:
 * <ul>
 *   <li>kohya's: {@code lora_unet_<module path, dots as underscores>.lora_down.weight},
 *       {@code .lora_up.weight}, {@code .alpha}, and {@code lora_te_…} for the text encoder (SDXL:
 *       {@code lora_te1_…} and {@code lora_te2_…} for its two, and UNet paths in the original SGM
 *       names, {@code input_blocks_4_1_…}); conv layers (LoCon) have 4-D pairs, the kernel on the
 *       down half;</li>
 *   <li>diffusers/PEFT's: {@code unet.<module path>.lora_A.weight} (down), {@code .lora_B.weight}
 *       (up), optional {@code .alpha}, and {@code text_encoder.<module path>…},
 *       {@code text_encoder_2.<module path>…}.</li>
 * </ul>
 * Without an alpha the scale is 1 (alpha = rank), as both kohya and PEFT do.
 */
public final class LoraFile implements AutoCloseable {

    /** The network a layer belongs to. */
    public enum Network {
        UNET("unet", "UNet"),
        TEXT_ENCODER("text_encoder", "text encoder"),
        /** SDXL's second text encoder (OpenCLIP ViT-bigG). */
        TEXT_ENCODER_2("text_encoder_2", "second text encoder");

        private final String component;
        private final String description;

        Network(String component, String description) {
            this.component = component;
            this.description = description;
        }

        /** The network's component name in a diffusers folder: "text_encoder_2". */
        public String component() {
            return component;
        }

        /** The network in the user's words: "second text encoder". */
        public String description() {
            return description;
        }
    }

    /**
     * One adapted layer.
     *
     * @param name the module as the file names it: kohya's flattened name after {@code lora_unet_},
     *     {@code lora_te_}, {@code lora_te1_} or {@code lora_te2_}, or the module path after
     *     {@code unet.}, {@code text_encoder.} or {@code text_encoder_2.}
     * @param kohya whether {@code name} is kohya's flattened form (dots turned into underscores)
     * @param alphaKey null when the file has no alpha for the layer
     */
    public record Layer(Network network, String name, boolean kohya, String downKey, String upKey, String alphaKey) {}

    private static final Pattern KOHYA = Pattern.compile(
            "lora_(unet|te|te1|te2)_(.+)\\.(lora_down\\.weight|lora_up\\.weight|alpha)");
    private static final Pattern KOHYA_PREFIX = Pattern.compile("lora_(unet|te|te1|te2)_");
    private static final Pattern PEFT = Pattern.compile(
            "(unet|text_encoder|text_encoder_2)\\.(.+)\\.(lora_A\\.weight|lora_B\\.weight|alpha)");
    private static final Map<String, Network> NETWORKS = Map.of("unet", Network.UNET, "te", Network.TEXT_ENCODER,
            "te1", Network.TEXT_ENCODER, "text_encoder", Network.TEXT_ENCODER, "te2", Network.TEXT_ENCODER_2,
            "text_encoder_2", Network.TEXT_ENCODER_2);
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

    /** The family of models the LoRA was made for, where its keys tell it (see {@link LoraFamily#of}). */
    public Optional<LoraFamily> family() {
        return LoraFamily.of(layers);
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
        return keys.stream().anyMatch(key -> KOHYA_PREFIX.matcher(key).lookingAt() || PEFT.matcher(key).matches());
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
                                : "is not a LoRA key this engine reads (kohya lora_unet_*/lora_te_*/lora_te1_*/"
                                        + "lora_te2_* with lora_down, lora_up and alpha, or PEFT unet.*/text_encoder.*/"
                                        + "text_encoder_2.* with lora_A and lora_B)"));
            }
            Network network = NETWORKS.get(match.group(1));
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
