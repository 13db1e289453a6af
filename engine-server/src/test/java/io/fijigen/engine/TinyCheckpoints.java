package io.fijigen.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.ldm.LdmCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The tiny fixture pipelines written as LDM (SDXL: SGM) single-file checkpoints, with the sidecar
 * yaml that says what their shapes cannot (their head counts are not SD's, nor SDXL's size
 * embeddings).
 */
public final class TinyCheckpoints {
    public static final String SD15_YAML = """
            model:
              params:
                linear_start: 0.00085
                linear_end: 0.012
                unet_config:
                  params:
                    image_size: 16
                    num_heads: 8
                cond_stage_config:
                  params:
                    num_heads: 4
            """;
    public static final String SD2_YAML = """
            model:
              params:
                parameterization: "v"
                unet_config:
                  params:
                    image_size: 16
                    num_heads: [2, 4, 8, 8]
                cond_stage_config:
                  params:
                    num_heads: 4
            """;
    /** SGM's yaml layout: the UNet's params under network_config, one conditioner entry per embedder. */
    public static final String SDXL_YAML = """
            model:
              params:
                network_config:
                  params:
                    image_size: 16
                    num_heads: [2, 4, 8]
                conditioner_config:
                  params:
                    emb_models:
                      - params:
                          num_heads: 4
                      - params:
                          num_heads: 4
                      - params:
                          outdim: 8
                      - params:
                          outdim: 8
                      - params:
                          outdim: 8
            """;

    private TinyCheckpoints() {}

    /**
     * tiny-sd15, tiny-sd2 or an SDXL fixture (tiny-sdxl-inpaint, say) as {@code dir/name.safetensors}
     * (with scheduler buffers, an EMA entry and SGM's sigmas, as real ones).
     */
    public static Path weights(Path dir, String fixture, String name) throws IOException {
        Path model = ParityFixtures.model(fixture);
        Path file = dir.resolve(name + ".safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict unet = StateDict.openComponent(model.resolve("unet"), manager, DataType.FLOAT32);
                StateDict vae = StateDict.openComponent(model.resolve("vae"), manager, DataType.FLOAT32);
                StateDict text = StateDict.openComponent(model.resolve("text_encoder"), manager, DataType.FLOAT32)) {
            LdmCheckpointWriter writer = new LdmCheckpointWriter();
            writer.unet(unet, "model.diffusion_model.");
            writer.vae(vae, "first_stage_model.");
            if (Files.isDirectory(model.resolve("text_encoder_2"))) {
                writer.clipL(text, manager);
                try (StateDict text2 = StateDict.openComponent(model.resolve("text_encoder_2"), manager,
                        DataType.FLOAT32)) {
                    writer.openClipBigG(text2, manager);
                }
            } else if (fixture.equals("tiny-sd2")) {
                writer.openClip(text, manager);
            } else {
                writer.clip(text);
            }
            writer.extras(manager);
            writer.write(file);
        }
        return file;
    }

    /**
     * {@link #weights} plus the sidecar {@code name.yaml} and the fixture's tokenizers as
     * {@code name.tokenizer/} (and {@code name.tokenizer_2/}).
     */
    public static Path checkpoint(Path dir, String fixture, String yaml) throws IOException {
        Path file = weights(dir, fixture, fixture);
        Files.writeString(dir.resolve(fixture + ".yaml"), yaml);
        for (String component : new String[] {"tokenizer", "tokenizer_2"}) {
            Path source = ParityFixtures.model(fixture).resolve(component);
            if (Files.isDirectory(source)) {
                copyFolder(source, dir.resolve(fixture + "." + component));
            }
        }
        return file;
    }

    /** The files of {@code source} into {@code target}, created. */
    public static void copyFolder(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }
}
