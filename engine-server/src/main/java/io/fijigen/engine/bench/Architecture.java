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
import java.util.List;
import java.util.stream.Collectors;

/**
 * The full-size architectures {@code fijigen bench --arch} times without a download: the published
 * models' configs (bundled as resources) and random weights of exactly their shapes, so every
 * network does the real model's work.
 */
public enum Architecture {
    SD15("sd15", "unet-sd15.json", "vae-sd.json", "clip-vit-large.json", null, "ddim-epsilon.json", Workload.TXT2IMG),
    SD21("sd21", "unet-sd21.json", "vae-sd.json", "open-clip-vit-huge.json", null, "ddim-v-prediction.json",
            Workload.TXT2IMG),
    SD15_CONTROLNET("sd15-controlnet", SD15, "controlnet-canny.json"),
    SD15_INPAINT("sd15-inpaint", "unet-sd15-inpaint.json", "vae-sd.json", "clip-vit-large.json", null,
            "ddim-epsilon.json", Workload.INPAINT),
    X4_UPSCALER("x4-upscaler", "unet-x4-upscaler.json", "vae-x4-upscaler.json", "open-clip-vit-huge.json", null,
            "ddim-x4-upscaler.json", Workload.UPSCALE),
    /** stabilityai/stable-diffusion-xl-base-1.0; its first text encoder is SD 1.5's CLIP ViT-L/14. */
    SDXL("sdxl", "unet-sdxl.json", "vae-sdxl.json", "clip-vit-large.json", "open-clip-vit-bigg.json",
            "euler-sdxl.json", Workload.TXT2IMG),
    /** diffusers/controlnet-canny-sdxl-1.0: {@code ControlNetModel.from_unet} of SDXL base's UNet. */
    SDXL_CONTROLNET("sdxl-controlnet", SDXL, "controlnet-canny-sdxl.json");

    private static final long SEED = 0;
    /** Written last: a folder without it is an interrupted write and is written again. */
    private static final String COMPLETE = ".complete";
    private static final String END_OF_TEXT = "<|endoftext|>";

    private final String id;
    /** The architecture whose model folder this one uses: itself, or a ControlNet's base model. */
    private final Architecture model;
    private final String unet;
    private final String vae;
    private final String textEncoder;
    /** SDXL's text_encoder_2; null for an SD 1.x/2.x pipeline. */
    private final String textEncoder2;
    private final String scheduler;
    /** The ControlNet's config; null for an architecture without one. */
    private final String controlNet;
    private final Workload workload;

    /** A pipeline model; {@code textEncoder2} null for SD 1.x/2.x. */
    Architecture(String id, String unet, String vae, String textEncoder, String textEncoder2, String scheduler,
            Workload workload) {
        this(id, null, unet, vae, textEncoder, textEncoder2, scheduler, null, workload);
    }

    /** A ControlNet on {@code base}: its folder is the base's, written once for both (SDXL's is 14 GB). */
    Architecture(String id, Architecture base, String controlNet) {
        this(id, base, base.unet, base.vae, base.textEncoder, base.textEncoder2, base.scheduler, controlNet,
                Workload.CONTROLNET);
    }

    Architecture(String id, Architecture base, String unet, String vae, String textEncoder, String textEncoder2,
            String scheduler, String controlNet, Workload workload) {
        this.id = id;
        this.model = base != null ? base : this;
        this.unet = unet;
        this.vae = vae;
        this.textEncoder = textEncoder;
        this.textEncoder2 = textEncoder2;
        this.scheduler = scheduler;
        this.controlNet = controlNet;
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
                new IllegalArgumentException("unknown architecture '" + id + "' (known: " + String.join(", ", ids())
                        + ")"));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Architecture::id).toList();
    }

    /**
     * The model as a diffusers folder {@code workDir/<id>}, written with random weights unless a
     * complete one is there; a ControlNet architecture's is its base model's ({@code workDir/sd15}
     * for sd15-controlnet), its ControlNet in {@code workDir/<id>}.
     */
    public Path folder(Path workDir) throws IOException {
        return writtenOnce(workDir.resolve(model.id), model::writeModel);
    }

    /** The ControlNet folder of a ControlNet architecture, written like {@link #folder}. */
    public Path controlNetFolder(Path workDir) throws IOException {
        if (controlNet == null) {
            throw new IllegalArgumentException("the controlnet workload needs --controlnet DIR or an architecture with"
                    + " a ControlNet (" + Arrays.stream(values()).filter(a -> a.controlNet != null)
                            .map(Architecture::id).collect(Collectors.joining(", ")) + "); " + id + " has none");
        }
        return writtenOnce(workDir.resolve(id), dir -> {
            Path config = copy(controlNet, dir.resolve("config.json"));
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
        boolean xl = textEncoder2 != null;
        copy(upscaler ? "index-x4-upscaler.json" : xl ? "index-sdxl.json" : "index-sd.json",
                dir.resolve("model_index.json"));
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
        writeTokenizer(dir.resolve("tokenizer"), END_OF_TEXT);
        if (xl) {
            Path config = copy(textEncoder2, dir.resolve("text_encoder_2/config.json"));
            RandomWeights.write(dir.resolve("text_encoder_2/model.safetensors"),
                    ArchitectureShapes.clipTextWithProjection(ClipTextConfig.read(config)), SEED);
            // SDXL's tokenizer_2 pads with "!" (id 0), as OpenCLIP does.
            writeTokenizer(dir.resolve("tokenizer_2"), "!");
        }
    }

    /**
     * CLIP's byte-level vocabulary without its merges: ids 0–511 and the two specials are CLIP's own,
     * so every prompt tokenizes to valid ids (one per byte) and, padded to 77, costs the text
     * encoder exactly what a real prompt does. The 1.5 MB real vocabulary is not needed for timing.
     * {@code padToken} is one of those tokens.
     */
    private static void writeTokenizer(Path dir, String padToken) throws IOException {
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
        vocab.addProperty(END_OF_TEXT, 49407);
        Files.writeString(dir.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        JsonObject special = new JsonObject();
        special.addProperty("pad_token", padToken);
        Files.writeString(dir.resolve("special_tokens_map.json"), special.toString(), StandardCharsets.UTF_8);
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
