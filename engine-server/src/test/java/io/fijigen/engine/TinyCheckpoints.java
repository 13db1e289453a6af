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
 * The tiny fixture pipelines written as LDM single-file checkpoints, with the sidecar yaml that
 * says what their shapes cannot (their head counts are not SD's).
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

    private TinyCheckpoints() {}

    /** tiny-sd15 or tiny-sd2 as {@code dir/name.safetensors} (with scheduler buffers and an EMA entry, as real ones). */
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
            if (fixture.equals("tiny-sd2")) {
                writer.openClip(text, manager);
            } else {
                writer.clip(text);
            }
            writer.extras(manager);
            writer.write(file);
        }
        return file;
    }

    /** {@link #weights} plus the sidecar {@code name.yaml} and the fixture's tokenizer as {@code name.tokenizer/}. */
    public static Path checkpoint(Path dir, String fixture, String yaml) throws IOException {
        Path file = weights(dir, fixture, fixture);
        Files.writeString(dir.resolve(fixture + ".yaml"), yaml);
        Path tokenizer = Files.createDirectories(dir.resolve(fixture + ".tokenizer"));
        try (Stream<Path> files = Files.list(ParityFixtures.model(fixture).resolve("tokenizer"))) {
            for (Path f : files.toList()) {
                Files.copy(f, tokenizer.resolve(f.getFileName()));
            }
        }
        return file;
    }
}
