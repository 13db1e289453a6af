package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.nn.UNetResiduals;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.ldm.LdmCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny fixtures written as LDM single files (by {@link LdmCheckpointWriter}, the inverse
 * mapping), with a sidecar yaml for what their shapes cannot say, loaded through the single-file
 * path: they reproduce the pipeline goldens the diffusers folders do.
 */
class SingleFileParityTest {
    private static final double TOLERANCE = 1e-3;
    static final String SD15_YAML = """
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
    static final String SD2_YAML = """
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

    @TempDir
    static Path dir;
    private static ParityFixtures.Session session;

    @BeforeAll
    static void open() {
        session = new ParityFixtures.Session();
    }

    @AfterAll
    static void close() {
        session.close();
    }

    /** tiny-sd15 or tiny-sd2 as {@code dir/name.safetensors}, its yaml and its tokenizer beside it. */
    static Path writeCheckpoint(Path dir, String fixture, String yaml) throws IOException {
        Path model = ParityFixtures.model(fixture);
        Path file = dir.resolve(fixture + ".safetensors");
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
        Files.writeString(dir.resolve(fixture + ".yaml"), yaml);
        Path tokenizer = Files.createDirectories(dir.resolve(fixture + ".tokenizer"));
        try (Stream<Path> files = Files.list(model.resolve("tokenizer"))) {
            for (Path f : files.toList()) {
                Files.copy(f, tokenizer.resolve(f.getFileName()));
            }
        }
        return file;
    }

    private static void check(String fixture, StableDiffusion model, GenerationRequest request) {
        GenerationResult result = Pipelines.generate(model, request, StepListener.NONE);
        assertClose(fixture + " (single file)", result.images().toNDArray(session.manager), session.golden(fixture),
                TOLERANCE);
    }

    @Test
    void sd15SingleFileTxt2imgDdim() throws Exception {
        Path file = writeCheckpoint(dir, "tiny-sd15", SD15_YAML);
        try (StableDiffusion sd = StableDiffusion.load(file, Device.cpu(), DataType.FLOAT32)) {
            assertThat(sd.schedulerConfig().className()).isEqualTo("PNDMScheduler");
            check("pipe.txt2img.ddim", sd, PipelineParityTest.fixtureRequest()
                    .scheduler("ddim")
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .build());
        }
    }

    @Test
    void sd2SingleFileVPredictionDdim() throws Exception {
        Path file = writeCheckpoint(dir, "tiny-sd2", SD2_YAML);
        try (StableDiffusion sd = StableDiffusion.load(file, Device.cpu(), DataType.FLOAT32)) {
            assertThat(sd.textEncoder()).isNotNull();
            check("pipe.sd2_vpred.ddim", sd, PipelineParityTest.fixtureRequest()
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .build());
        }
    }

    @Test
    void controlNetSingleFileResiduals() throws Exception {
        Path file = dir.resolve("tiny-controlnet-canny.safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict weights = StateDict.openComponent(ParityFixtures.model("tiny-controlnet-canny"), manager,
                        DataType.FLOAT32)) {
            LdmCheckpointWriter writer = new LdmCheckpointWriter();
            writer.controlNet(weights, "control_model.");
            writer.write(file);
        }
        Files.writeString(dir.resolve("tiny-controlnet-canny.yaml"), """
                model:
                  params:
                    control_stage_config:
                      params:
                        num_heads: 8
                """);
        ControlNetModel controlNet = ModelFolder.loadControlNet(file, session.manager, DataType.FLOAT32);
        UNetResiduals residuals = controlNet.forward(session.golden("unet.sample"), session.manager.create(500f),
                session.golden("unet.ehs"), session.golden("controlnet.cond"), 0.7f, false);
        for (int i = 0; i < 12; i++) {
            assertModuleClose("controlnet.down" + i + " (single file)", residuals.down().get(i),
                    session.golden("controlnet.down" + i));
        }
        assertModuleClose("controlnet.mid (single file)", residuals.mid(), session.golden("controlnet.mid"));
    }
}
