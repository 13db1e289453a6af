package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regional prompts (attention couple) through {@link Pipelines#generate} on the tiny models:
 * regions that only repeat the base prompt give the plain generation bit for bit (they merge into
 * the base), a region with a prompt of its own changes the image mostly inside it, and bad regions
 * are refused naming the field.
 */
class RegionalPromptsTest {
    private static final int SIDE = 128;
    /** A strip wide enough that the tiny UNet's receptive field does not span it. */
    private static final int WIDE = 512;

    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");

    /** A SIDE×SIDE mask, 1 on the columns {@code inside} accepts. */
    static HostTensor columns(IntPredicate inside) {
        return columns(SIDE, SIDE, inside);
    }

    static HostTensor columns(int width, int height, IntPredicate inside) {
        float[] mask = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mask[y * width + x] = inside.test(x) ? 1 : 0;
            }
        }
        return new HostTensor(mask, new long[] {1, 1, height, width});
    }

    private static GenerationRequest.Builder request() {
        return PipelineParityTest.fixtureRequest().scheduler("ddim").steps(4).seed(3);
    }

    private static float[] generate(StableDiffusion model, GenerationRequest request) {
        return Pipelines.generate(model, request, StepListener.NONE).images().data();
    }

    private static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void wholeImageRegionWithTheBasePromptIsThePlainGeneration() {
        float[] plain = generate(sd15.get(), request().build());
        float[] regional = generate(sd15.get(), request()
                .region(new RegionPrompt(columns(x -> true), "A cyberpunk city, neon lights", 1)).build());
        System.out.printf("whole-image region with the base prompt: max |diff| %.1f%n", maxDiff(plain, regional));
        assertThat(regional).containsExactly(plain);
    }

    @Test
    void twoRegionsWithTheBasePromptAreThePlainGeneration() {
        float[] plain = generate(sd15.get(), request().build());
        // The text as the tokenizer reads it: case and spacing it ignores make no other group.
        float[] regional = generate(sd15.get(), request()
                .region(new RegionPrompt(columns(x -> x < SIDE / 2), "A cyberpunk city, neon lights", 1.5))
                .region(new RegionPrompt(columns(x -> x >= SIDE / 2), "a  Cyberpunk city,  neon lights", 0.5))
                .build());
        System.out.printf("two half-image regions with the base prompt: max |diff| %.1f%n", maxDiff(plain, regional));
        assertThat(regional).containsExactly(plain);
    }

    @Test
    void sdxlWholeImageRegionWithTheBasePromptIsThePlainGeneration() {
        GenerationRequest.Builder base = SdxlPipelineParityTest.fixtureRequest().steps(3);
        float[] plain = generate(sdxl.get(), base.build());
        float[] regional = generate(sdxl.get(), SdxlPipelineParityTest.fixtureRequest().steps(3)
                .region(new RegionPrompt(columns(x -> true), base.build().prompt(), 2)).build());
        assertThat(regional).containsExactly(plain);
    }

    /**
     * A different prompt on the left half: the mean |diff| against the plain image per column band.
     * Attention makes the receptive field global (every self-attention layer sees every position,
     * and the tiny UNet's convolutions reach across its 16×16 latents), so far from the region the
     * change is smaller but not zero.
     */
    @Test
    void regionWithItsOwnPromptChangesTheImageMostlyInsideIt() {
        int width = WIDE;
        float[] plain = generate(sd15.get(), request().size(width, 64).build());
        float[] regional = generate(sd15.get(), request().size(width, 64)
                .region(new RegionPrompt(columns(width, 64, x -> x < 128), "a red apple on a white table", 1)).build());
        double inside = meanDiff(plain, regional, width, x -> x < 96);
        double edge = meanDiff(plain, regional, width, x -> x >= 96 && x < 128);
        double band = meanDiff(plain, regional, width, x -> x >= 128 && x < 192);
        double far = meanDiff(plain, regional, width, x -> x >= 320);
        System.out.printf("region x < 128 of %dx64: mean |diff| inside (x < 96) %.4f, edge (96–127) %.4f,"
                + " band (128–191) %.4f, far (x ≥ 320) %.4f, inside/far %.1f%n", width, inside, edge, band, far,
                inside / far);
        assertThat(inside).isGreaterThan(0.02);
        assertThat(inside).isGreaterThan(band);
        // Measured 0.0389 inside, 0.0189 in the band beyond, 0.0117 far: a ratio of 3.3.
        assertThat(inside / far).isGreaterThan(2.5);
    }

    @Test
    void sdxlRegionWithItsOwnPromptChangesTheImage() {
        GenerationRequest.Builder base = SdxlPipelineParityTest.fixtureRequest().steps(3);
        float[] plain = generate(sdxl.get(), base.build());
        float[] regional = generate(sdxl.get(), SdxlPipelineParityTest.fixtureRequest().steps(3)
                .region(new RegionPrompt(columns(x -> x < 32), "a red apple on a white table", 1)).build());
        double inside = meanDiff(plain, regional, SIDE, x -> x < 32);
        double far = meanDiff(plain, regional, SIDE, x -> x >= 80);
        System.out.printf("tiny-sdxl, region x < 32: mean |diff| inside %.4f, far %.4f%n", inside, far);
        assertThat(inside).isGreaterThan(far);
    }

    /** The hires fix's second pass takes the regions with masks enlarged to its size. */
    @Test
    void hiresFixEnlargesTheRegions() {
        GenerationRequest.Builder hires = request().size(64, 64).steps(2)
                .hires(new HiresOptions(2, 0, 0.5, HiresUpscaler.builtIn(HiresUpscaler.LANCZOS).orElseThrow()));
        float[] plain = generate(sd15.get(), hires.build());
        float[] regional = generate(sd15.get(), request().size(64, 64).steps(2).hires(hires.build().hires())
                .region(new RegionPrompt(columns(64, 64, x -> x < 32), "a red apple", 1)).build());
        assertThat(regional).hasSize(SIDE * SIDE * 3);
        assertThat(maxDiff(plain, regional)).isGreaterThan(0.01);
    }

    /** Mean |a − b| over the columns {@code where} accepts of [1, H, width, 3] images. */
    private static double meanDiff(float[] a, float[] b, int width, IntPredicate where) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            if (where.test(i / 3 % width)) {
                sum += Math.abs(a[i] - b[i]);
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void badRegionsAreRefusedNamingTheField() {
        HostTensor left = columns(x -> x < 64);
        assertRefused(request().region(new RegionPrompt(new HostTensor(new float[64 * 64], new long[] {1, 1, 64, 64}),
                "an apple", 1)), "regions[0].mask", "64x64", "128x128");
        assertRefused(request().region(new RegionPrompt(left, "an apple", 1)).region(new RegionPrompt(left, "x", 0)),
                "regions[1].weight", "0");
        assertRefused(request().region(new RegionPrompt(left, "an apple", 11)), "regions[0].weight", "11", "10");
        assertRefused(request().region(new RegionPrompt(left, "  ", 1)), "regions[0].prompt", "empty");
        GenerationRequest.Builder nine = request();
        for (int i = 0; i < 9; i++) {
            nine.region(new RegionPrompt(left, "apple " + i, 1));
        }
        assertRefused(nine, "regions", "9", "8");
        assertRefused(request().initImage(new HostTensor(new float[3 * SIDE * SIDE], new long[] {1, 3, SIDE, SIDE}), 1)
                .mask(columns(x -> x < 8)).region(new RegionPrompt(left, "an apple", 1)), "regions", "inpainting");
    }

    private static void assertRefused(GenerationRequest.Builder request, String field, String... words) {
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(), request.build(), StepListener.NONE))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContainingAll(words);
    }
}
