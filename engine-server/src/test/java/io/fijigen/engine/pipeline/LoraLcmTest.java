package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.random.JobNoise;
import io.fijigen.engine.schedule.Scheduler;
import io.fijigen.engine.schedule.Schedulers;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.LoraWeight;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A distillation LoRA (LCM-LoRA, TCD-LoRA) is an ordinary LoRA run with its scheduler: the fixture's
 * tiny-lora-kohya (UNet half at 0.75, whose merge {@code pipe.lora075_unet_only.ddim} holds) merged by
 * the job and sampled with lcm, 4 steps, guidance 1, equals the LCM loop written out here over the
 * model merged by the LoRA code. No reference case has a LoRA with lcm.
 */
class LoraLcmTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    private static final LoraWeight LORA = new LoraWeight("tiny", LoraParityTest.KOHYA, 0, 0.75);

    @AfterEach
    void unmerge() {
        sd15.get().loras().restore();
    }

    @Test
    void lcmWithAMergedLoraIsTheLcmLoopOverTheMergedModel() throws Exception {
        HostTensor latents = HostTensor.of(session.golden("pipe.latents"));
        GenerationRequest request = PipelineParityTest.fixtureRequest().scheduler("lcm").steps(4).guidance(1.0)
                .seed(42).latents(latents).lora(LORA).build();
        NDArray job = Pipelines.generate(sd15.get(), request, StepListener.NONE).images().toNDArray(session.manager);

        StableDiffusion model = sd15.get();
        model.loras().set(List.of(LORA));
        NDArray byHand;
        try (NDManager manager = session.manager.newSubManager()) {
            NDArray text = new PromptEncoder(model.tokenizer(), model.textEncoder(), TextualInversions.NONE)
                    .encode(manager, request.prompt(), null, 1, false, 1);
            Scheduler lcm = Schedulers.create("lcm", model.schedulerConfig(), 4);
            JobNoise noise = new JobNoise(42);
            NDArray x = latents.toNDArray(manager);
            double[] timesteps = lcm.timesteps();
            for (int i = 0; i < timesteps.length; i++) {
                NDArray eps = model.unet().forward(x, manager.create((float) timesteps[i]), text);
                x = lcm.step(eps, i, x, noise);
            }
            NDArray unscaled = x.div((float) model.vae().config().scalingFactor());
            byHand = ImagePreprocessor.toImages(model.decoder().decodeToHost(unscaled, null, () -> { }))
                    .toNDArray(session.manager);
        }
        assertClose("lora075_unet_only.lcm: job vs by hand", job, byHand, 1e-6);

        NDArray withoutLora = Pipelines.generate(model, PipelineParityTest.fixtureRequest().scheduler("lcm").steps(4)
                .guidance(1.0).seed(42).latents(latents).build(), StepListener.NONE).images().toNDArray(session.manager);
        double effect = maxAbs(job.sub(withoutLora));
        System.out.printf("the LoRA changes the lcm image by max %.3e%n", effect);
        assertThat(effect).as("the LoRA is merged").isGreaterThan(1e-3);
        assertClose("pipe.txt2img.lcm.4step.seed42 (after a LoRA job)", withoutLora,
                session.golden("pipe.txt2img.lcm.4step.seed42"), 1e-3);
    }
}
