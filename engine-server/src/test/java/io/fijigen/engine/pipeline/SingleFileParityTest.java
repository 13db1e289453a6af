package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.AddedConditions;
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
 * mapping), and tiny-sdxl.safetensors (by diffusers' own conversion script), with a sidecar yaml
 * for what their shapes cannot say, loaded through the single-file path: they reproduce the
 * goldens the diffusers folders do.
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

    /**
     * tiny-sdxl.safetensors with tokenizer/ and tokenizer_2/ beside it loads as an SDXL model: its
     * UNet gives {@code unetxl.out_t500}, its encoders {@code xl.prompt_embeds} and {@code
     * xl.pooled_prompt_embeds}; with no model_index.json a negative prompt not given is zeros, as
     * the SDXL pipelines' default {@code force_zeros_for_empty_prompt} says.
     */
    @Test
    void sdxlSingleFileLoadsAsAnSdxlModel() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("sdxl"));
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), folder.resolve("tiny-sdxl.safetensors"));
        Files.writeString(folder.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        for (String tokenizer : new String[] {"tokenizer", "tokenizer_2"}) {
            TinyCheckpoints.copyFolder(ParityFixtures.model("tiny-sdxl").resolve(tokenizer), folder.resolve(tokenizer));
        }
        try (StableDiffusion sdxl = StableDiffusion.load(file, Device.cpu(), DataType.FLOAT32)) {
            assertThat(sdxl.family()).isEqualTo(ModelFamily.SDXL);
            assertThat(sdxl.index()).isNull();
            assertThat(sdxl.tokenizer2().padId()).isZero();
            assertThat(sdxl.schedulerConfig().className()).isEqualTo("EulerDiscreteScheduler");
            assertThat(sdxl.maxClipSkip()).isEqualTo(2);
            NDArray out = sdxl.unet().forward(session.golden("unetxl.sample"), session.manager.create(500f),
                    session.golden("unetxl.ehs"), null, null,
                    new AddedConditions(session.golden("unetxl.text_embeds"), session.golden("unetxl.time_ids")), null);
            assertModuleClose("unetxl.out_t500 (single file)", out, session.golden("unetxl.out_t500"));

            SdxlPromptEncoder.Embeddings city = SdxlPromptEncoder.of(sdxl)
                    .encode(session.manager, "A cyberpunk city, neon lights", null, 1, true, 1);
            assertModuleClose("xl.prompt_embeds (single file)", city.promptEmbeds().get("1:2"),
                    session.golden("xl.prompt_embeds"));
            assertModuleClose("xl.pooled_prompt_embeds (single file)", city.pooledPromptEmbeds().get("1:2"),
                    session.golden("xl.pooled_prompt_embeds"));
            assertThat(ParityFixtures.maxAbs(city.promptEmbeds().get("0:1"))).isZero();
            assertThat(ParityFixtures.maxAbs(city.pooledPromptEmbeds().get("0:1"))).isZero();

            check("xlpipe.txt2img.euler", sdxl, SdxlPipelineParityTest.fixtureRequest()
                    .latents(HostTensor.of(session.golden("xl.latents")))
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
