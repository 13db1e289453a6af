package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.nn.UNetResiduals;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.ldm.LdmCheckpointWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny fixtures written as LDM single files (by {@link LdmCheckpointWriter}, the inverse
 * mapping), with a sidecar yaml for what their shapes cannot say, loaded through the single-file
 * path: they reproduce the pipeline goldens the diffusers folders do.
 */
class SingleFileParityTest {
    private static final double TOLERANCE = 1e-3;
    @TempDir
    static Path dir;
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    private static void check(String fixture, StableDiffusion model, GenerationRequest request) {
        GenerationResult result = Pipelines.generate(model, request, StepListener.NONE);
        assertClose(fixture + " (single file)", result.images().toNDArray(session.manager), session.golden(fixture),
                TOLERANCE);
    }

    @Test
    void sd15SingleFileTxt2imgDdim() throws Exception {
        Path file = TinyCheckpoints.checkpoint(dir, "tiny-sd15", TinyCheckpoints.SD15_YAML);
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
        Path file = TinyCheckpoints.checkpoint(dir, "tiny-sd2", TinyCheckpoints.SD2_YAML);
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
