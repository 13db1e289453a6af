package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.BorderFill;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Outpainting on both kinds of model (9-channel, and 4-channel by latent blending): the result is
 * exactly the grown size, sizes off the latent grid included; the image's pixels beyond overlap +
 * feather are its own, bit for bit, right up to the edge along a side that does not grow; the new
 * border is painted.
 */
class OutpaintingTest {
    private static final int BLUR = 4;
    private static final int OVERLAP = 8;

    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    @RegisterExtension
    static final TinyModel inpaint = new TinyModel("tiny-sd15-inpaint");

    /** An 8-bit RGB picture, as decoded from a file: every value k/255. */
    private static HostTensor picture(int width, int height) {
        Random random = new Random(5);
        float[] data = new float[3 * width * height];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt(256) / 255f;
        }
        return new HostTensor(data, new long[] {1, 3, height, width});
    }

    @ParameterizedTest(name = "{0}: {1}x{2} grown by {3},{4},{5},{6}")
    @CsvSource({
        "tiny-sd15-inpaint, 128, 96, 32, 0, 16, 8",
        "tiny-sd15, 128, 96, 32, 0, 16, 8",
        // 124×90 grown to 131×93, generated at 136×96: padded on the right and bottom, and cropped back.
        "tiny-sd15-inpaint, 124, 90, 4, 3, 3, 0",
        "tiny-sd15, 124, 90, 0, 3, 7, 0"})
    void keepsTheImageBeyondTheFeatherAndPaintsTheBorder(String model, int width, int height, int left, int top,
            int right, int bottom) {
        StableDiffusion pipeline = model.equals("tiny-sd15") ? sd15.get() : inpaint.get();
        HostTensor image = picture(width, height);
        GenerationRequest request = PipelineParityTest.fixtureRequest()
                .scheduler("ddim")
                .steps(3)
                .seed(11)
                .initImage(image, 1.0)
                .inpaintOptions(new InpaintOptions(BLUR, 0, false, 0, true))
                .outpaint(new Outpaint(left, top, right, bottom, OVERLAP, BorderFill.EDGE))
                .build();
        GenerationResult result = Pipelines.generate(pipeline, request, StepListener.NONE);
        int grownWidth = width + left + right;
        int grownHeight = height + top + bottom;
        assertThat(result.images().shape()).containsExactly(1, grownHeight, grownWidth, 3);
        assertThat(result.request().outpaint()).isEqualTo(request.outpaint());
        assertThat(result.seed()).isEqualTo(11);

        int x0 = left > 0 ? OVERLAP + BLUR : 0;
        int y0 = top > 0 ? OVERLAP + BLUR : 0;
        int x1 = right > 0 ? width - OVERLAP - BLUR : width;
        int y1 = bottom > 0 ? height - OVERLAP - BLUR : height;
        float[] out = result.images().data();
        float[] in = image.data();
        int kept = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    float original = in[(c * height + y) * width + x];
                    float made = out[((y + top) * grownWidth + x + left) * 3 + c];
                    assertThat(made).as("%s (%d, %d) channel %d", model, x, y, c).isEqualTo(original);
                    kept++;
                }
            }
        }
        assertThat(kept).isEqualTo(3 * (x1 - x0) * (y1 - y0));

        // The border was painted: it is not the edge fill it started from (pixels of the first grown side).
        double change = 0;
        int border = 0;
        for (int y = 0; y < grownHeight; y++) {
            for (int x = 0; x < grownWidth; x++) {
                boolean inImage = x >= left && x < left + width && y >= top && y < top + height;
                if (!inImage) {
                    int sourceX = Math.min(Math.max(x - left, 0), width - 1);
                    int sourceY = Math.min(Math.max(y - top, 0), height - 1);
                    for (int c = 0; c < 3; c++) {
                        change += Math.abs(out[(y * grownWidth + x) * 3 + c]
                                - in[(c * height + sourceY) * width + sourceX]);
                    }
                    border++;
                }
            }
        }
        assertThat(change / (3 * border)).as("%s: mean change of the border", model).isGreaterThan(0.05);
    }
}
