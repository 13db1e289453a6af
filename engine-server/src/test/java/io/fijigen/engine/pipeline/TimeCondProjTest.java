package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.nn.TimestepEmbedding;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.random.JobNoise;
import io.fijigen.engine.schedule.Scheduler;
import io.fijigen.engine.schedule.Schedulers;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNets with {@code time_cond_proj_dim} (LCM-distilled): tiny-sd15's UNet made into one by this test
 * (its config with {@code time_cond_proj_dim} 8, plus a random {@code time_embedding.cond_proj.weight}
 * [32, 8] in a second safetensors file), held to diffusers' semantics: {@code TimestepEmbedding} adds
 * {@code cond_proj(condition)} (no bias) to the timestep sinusoids before {@code linear_1}; the pipeline
 * gives it {@code get_guidance_scale_embedding((guidance − 1)·1000, time_cond_proj_dim)} and runs no
 * classifier-free guidance (its {@code do_classifier_free_guidance} is false for such a UNet).
 */
class TimeCondProjTest {
    private static final int COND_DIM = 8;

    @TempDir
    static Path dir;
    private static NDManager manager;
    private static StateDict weights;
    private static UNet2DConditionModel unet;
    private static NDArray condProj;

    @BeforeAll
    static void makeUnet() throws IOException {
        manager = NDManager.newBaseManager();
        Path fixture = ParityFixtures.model("tiny-sd15").resolve("unet");
        String config = Files.readString(fixture.resolve("config.json"))
                .replace("\"time_cond_proj_dim\": null", "\"time_cond_proj_dim\": " + COND_DIM);
        Engine.getInstance().setRandomSeed(11);
        condProj = manager.randomNormal(new Shape(32, COND_DIM)).mul(0.2f);
        Path extra = dir.resolve("cond_proj.safetensors");
        SafetensorsWriter.write(extra, Map.of("time_embedding.cond_proj.weight", condProj), Map.of());
        weights = StateDict.open(List.of(fixture.resolve("diffusion_pytorch_model.safetensors"), extra), manager,
                DataType.FLOAT32);
        unet = new UNet2DConditionModel(UNet2DConditionConfig.from(ConfigFile.parse("lcm unet", config)), weights);
    }

    @AfterAll
    static void close() {
        weights.close();
        manager.close();
    }

    /** The reference's formula, its argument rounded to float32 as torch computes it. */
    private static float[] formula(double guidance, int dim) {
        float w = (float) (guidance - 1) * 1000f;
        int half = dim / 2;
        float rate = (float) Math.log(10000.0) / (half - 1);
        float[] row = new float[dim];
        for (int i = 0; i < half; i++) {
            float argument = w * (float) Math.exp(-rate * i);
            row[i] = (float) Math.sin(argument);
            row[half + i] = (float) Math.cos(argument);
        }
        return row;
    }

    @Test
    void guidanceEmbeddingIsTheReferenceFormula() {
        for (double guidance : new double[] {8.5, 1.0, 0.0}) {
            for (int dim : new int[] {COND_DIM, 7, 256}) {
                NDArray ours = GuidanceScaleEmbedding.of(guidance, dim, 2, manager);
                float[] expected = formula(guidance, dim);
                if (dim == COND_DIM && guidance == 8.5) {
                    System.out.println("w_embedding(8.5, 8): ours " + Arrays.toString(ours.get(0).toFloatArray())
                            + ", by hand " + Arrays.toString(expected));
                }
                assertThat(ours.getShape()).isEqualTo(new Shape(2, dim));
                // The odd width's last column is the reference's zero padding.
                NDArray reference = manager.create(expected, new Shape(1, dim)).repeat(0, 2);
                // torch's float32 exp and Java's correctly rounded one may differ by an ulp of the
                // frequency, which the ·w moves the argument by: up to |w|·2⁻²³ (4e-4 at w = 7500, dim 256).
                double w = Math.abs(guidance - 1) * 1000;
                assertClose("w_embedding(" + guidance + ", " + dim + ")", ours, reference, 2e-6 + w * 0x1p-23);
            }
        }
        assertThat(GuidanceScaleEmbedding.of(1.0, COND_DIM, 1, manager).toFloatArray())
                .as("w 0: sin 0, cos 1").containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    }

    @Test
    void condProjIsAddedToTheSinusoidsBeforeLinear1() {
        TimestepEmbedding embedding = new TimestepEmbedding(weights.scope("time_embedding"), COND_DIM);
        NDArray sinusoids = manager.randomNormal(new Shape(2, 32));
        NDArray condition = GuidanceScaleEmbedding.of(4.0, COND_DIM, 2, manager);
        NDArray byHand = embedding.forward(sinusoids.add(condition.matMul(condProj.transpose())));
        assertClose("time_embedding(t_emb, cond)", embedding.forward(sinusoids, condition), byHand, 1e-6);
    }

    @Test
    void theUnetReadsTheCondition() {
        NDArray sample = manager.randomNormal(new Shape(1, 4, 16, 16));
        NDArray text = manager.randomNormal(new Shape(1, 77, 32));
        NDArray t = manager.create(500f);
        NDArray plain = unet.forward(sample, t, text, null, null, null, null);
        NDArray zero = unet.forward(sample, t, text, null, manager.zeros(new Shape(1, COND_DIM)), null, null);
        NDArray guided = unet.forward(sample, t, text, null, GuidanceScaleEmbedding.of(8.5, COND_DIM, 1, manager),
                null, null);
        assertClose("unet(cond 0) vs unet(no cond)", zero, plain, 0);
        double moved = maxAbs(guided.sub(plain));
        System.out.printf("unet(w_embedding(8.5)) vs unet(no cond): max|diff| = %.3e%n", moved);
        assertThat(moved).as("the guidance embedding changes the prediction").isGreaterThan(1e-4);
    }

    /**
     * The shared loop at guidance 8.5 equals a loop by hand that calls the UNet once per step (no
     * unconditional pass) with the formula's embedding of 8.5.
     */
    @Test
    void theLoopPassesTheEmbeddingAndRunsNoGuidancePass() throws IOException {
        DenoisingLoop loop = new DenoisingLoop(unet, 8.5, null);
        assertThat(loop.guided()).isFalse();
        SchedulerConfig own = SchedulerConfig.read(
                ParityFixtures.model("tiny-sd15").resolve("scheduler/scheduler_config.json"));
        NDArray start = manager.randomNormal(new Shape(1, 4, 16, 16));
        NDArray text = manager.randomNormal(new Shape(1, 77, 32));
        try (NDManager job = manager.newSubManager()) {
            NDArray ours = loop.run(job, Schedulers.create("lcm", own, 2), 0, start.duplicate(),
                    new Conditioning(text, null), new JobNoise(5), StepStrategy.NONE, StepListener.NONE);
            Scheduler scheduler = Schedulers.create("lcm", own, 2);
            JobNoise noise = new JobNoise(5);
            // The embedding's values are held to the formula above; here, that the loop passes it.
            NDArray embedding = GuidanceScaleEmbedding.of(8.5, COND_DIM, 1, manager);
            NDArray x = start;
            for (int i = 0; i < scheduler.timesteps().length; i++) {
                NDArray output = unet.forward(x, job.create((float) scheduler.timesteps()[i]), text, null, embedding,
                        null, null);
                x = scheduler.step(output, i, x, noise);
            }
            assertClose("loop vs by hand, guidance 8.5 as w_embedding", ours, x, 1e-6);
        }
    }
}
