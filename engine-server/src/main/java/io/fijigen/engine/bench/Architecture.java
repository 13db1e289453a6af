package io.fijigen.engine.bench;

import com.google.gson.JsonObject;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.text.ByteLevelAlphabet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The full-size architectures {@code fijigen bench --arch} times without a download: the published
 * models' configs (bundled as resources) and random weights of exactly their shapes, so every
 * network does the real model's work.
 */
public enum Architecture {
    SD15("sd15", "unet-sd15.json", "vae-sd.json", "clip-vit-large.json", "ddim-epsilon.json", Workload.TXT2IMG),
    SD21("sd21", "unet-sd21.json", "vae-sd.json", "open-clip-vit-huge.json", "ddim-v-prediction.json",
            Workload.TXT2IMG),
    SD15_CONTROLNET("sd15-controlnet", "unet-sd15.json", "vae-sd.json", "clip-vit-large.json", "ddim-epsilon.json",
            Workload.CONTROLNET),
    SD15_INPAINT("sd15-inpaint", "unet-sd15-inpaint.json", "vae-sd.json", "clip-vit-large.json",
            "ddim-epsilon.json", Workload.INPAINT),
    X4_UPSCALER("x4-upscaler", "unet-x4-upscaler.json", "vae-x4-upscaler.json", "open-clip-vit-huge.json",
            "ddim-x4-upscaler.json", Workload.UPSCALE);

    private static final long SEED = 0;
    /** Written last: a folder without it is an interrupted write and is written again. */
    private static final String COMPLETE = ".complete";

    private final String id;
    private final String unet;
    private final String vae;
    private final String textEncoder;
    private final String scheduler;
    private final Workload workload;

    Architecture(String id, String unet, String vae, String textEncoder, String scheduler, Workload workload) {
        this.id = id;
        this.unet = unet;
        this.vae = vae;
        this.textEncoder = textEncoder;
        this.scheduler = scheduler;
        this.workload = workload;
    }

    public String id() {
        return id;
    }

    /** What this architecture is for, and what {@code bench} runs on it unless told otherwise. */
    public Workload workload() {
        return workload;
    }

    public static Architecture of(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown architecture '" + id + "' (known: " + ids() + ")"));
    }

    public static String ids() {
        return Arrays.stream(values()).map(Architecture::id).collect(Collectors.joining(", "));
    }

    /**
     * The model as a diffusers folder {@code workDir/<id>} (its ControlNet, when it has one, in
     * {@code workDir/<id>-controlnet}), written with random weights unless a complete one is there.
     */
    public Path folder(Path workDir) throws IOException {
        return writtenOnce(workDir.resolve(id), this::writeModel);
    }

    /** The ControlNet folder of {@link #SD15_CONTROLNET}, written like {@link #folder}. */
    public Path controlNetFolder(Path workDir) throws IOException {
        if (workload != Workload.CONTROLNET) {
            throw new IllegalArgumentException("the controlnet workload needs --arch sd15-controlnet or --controlnet"
                    + " DIR; " + id + " has no ControlNet");
        }
        return writtenOnce(workDir.resolve(id + "-controlnet"), dir -> {
            Path config = copy("controlnet-canny.json", dir.resolve("config.json"));
            RandomWeights.write(dir.resolve("diffusion_pytorch_model.safetensors"),
                    ArchitectureShapes.controlNet(ControlNetConfig.read(config)), SEED);
        });
    }

    /** Writes a folder's files into it. */
    @FunctionalInterface
    private interface FolderWriter {
        void write(Path dir) throws IOException;
    }

    /** {@code dir}, written by {@code writer} unless a complete one is there; marked complete last. */
    private static Path writtenOnce(Path dir, FolderWriter writer) throws IOException {
        if (!Files.exists(dir.resolve(COMPLETE))) {
            Files.createDirectories(dir);
            writer.write(dir);
            Files.writeString(dir.resolve(COMPLETE), "");
        }
        return dir;
    }

    private void writeModel(Path dir) throws IOException {
        boolean upscaler = workload == Workload.UPSCALE;
        copy(upscaler ? "index-x4-upscaler.json" : "index-sd.json", dir.resolve("model_index.json"));
        Path unetConfig = copy(unet, dir.resolve("unet/config.json"));
        RandomWeights.write(dir.resolve("unet/diffusion_pytorch_model.safetensors"),
                ArchitectureShapes.unet(UNet2DConditionConfig.read(unetConfig)), SEED);
        Path vaeConfig = copy(vae, dir.resolve("vae/config.json"));
        RandomWeights.write(dir.resolve("vae/diffusion_pytorch_model.safetensors"),
                ArchitectureShapes.vae(AutoencoderKLConfig.read(vaeConfig)), SEED);
        Path textConfig = copy(textEncoder, dir.resolve("text_encoder/config.json"));
        RandomWeights.write(dir.resolve("text_encoder/model.safetensors"),
                ArchitectureShapes.clipText(ClipTextConfig.read(textConfig)), SEED);
        copy(scheduler, dir.resolve("scheduler/scheduler_config.json"));
        if (upscaler) {
            copy("ddpm-x4-low-res.json", dir.resolve("low_res_scheduler/scheduler_config.json"));
        }
        writeTokenizer(dir.resolve("tokenizer"));
    }

    /**
     * CLIP's byte-level vocabulary without its merges: ids 0–511 and the two specials are CLIP's own,
     * so every prompt tokenizes to valid ids (one per byte) and, padded to 77, costs the text
     * encoder exactly what a real prompt does. The 1.5 MB real vocabulary is not needed for timing.
     */
    private static void writeTokenizer(Path dir) throws IOException {
        Files.createDirectories(dir);
        String characters = ByteLevelAlphabet.characters();
        JsonObject vocab = new JsonObject();
        for (int i = 0; i < characters.length(); i++) {
            vocab.addProperty(String.valueOf(characters.charAt(i)), i);
        }
        for (int i = 0; i < characters.length(); i++) {
            vocab.addProperty(characters.charAt(i) + "</w>", characters.length() + i);
        }
        vocab.addProperty("<|startoftext|>", 49406);
        vocab.addProperty("<|endoftext|>", 49407);
        Files.writeString(dir.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
    }

    private static Path copy(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = Architecture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("bundled config " + resource + " is missing"));
            }
            Files.write(target, in.readAllBytes());
        }
        return target;
    }
}
