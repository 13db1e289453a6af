package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.TinyModel;
import io.fijigen.engine.tensor.HostTensor;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Editor inpainting: pasted back, the pixels beyond the feather are the input's, bit for bit, and
 * the masked region is new; in the middle of the image and touching its border.
 */
class InpaintSelectionTest {
    private static final int WIDTH = 256;
    private static final int HEIGHT = 192;
    private static final int BLUR = 8;

    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    /** An 8-bit RGB picture, as decoded from a file: every value k/255. */
    private static HostTensor picture() {
        Random random = new Random(7);
        float[] data = new float[3 * WIDTH * HEIGHT];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt(256) / 255f;
        }
        return new HostTensor(data, new long[] {1, 3, HEIGHT, WIDTH});
    }

    private static HostTensor rectangle(int x0, int y0, int x1, int y1) {
        float[] data = new float[WIDTH * HEIGHT];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                data[y * WIDTH + x] = 1f;
            }
        }
        return new HostTensor(data, new long[] {1, 1, HEIGHT, WIDTH});
    }

    @ParameterizedTest(name = "only masked {4}: mask x {0}..{2}, y {1}..{3}")
    @CsvSource({"100, 80, 140, 120, true", "0, 150, 40, 192, true", "100, 80, 140, 120, false"})
    void pixelsBeyondTheFeatherAreTheInputsOwn(int x0, int y0, int x1, int y1, boolean onlyMasked) {
        HostTensor image = picture();
        GenerationRequest request = PipelineParityTest.fixtureRequest()
                .scheduler("ddim")
                .steps(3)
                .seed(11)
                .size(128, 128)
                .initImage(image, 1.0)
                .mask(rectangle(x0, y0, x1, y1))
                .inpaintOptions(new InpaintOptions(BLUR, 0, onlyMasked, 16, true))
                .build();
        GenerationResult result = Pipelines.generate(sd15.get(), request, StepListener.NONE);
        HostTensor out = result.images();
        assertThat(out.shape()).containsExactly(1, HEIGHT, WIDTH, 3);
        // The size recorded is the size generated: without the paste-back, the images come back at it.
        HostTensor generated = onlyMasked ? Pipelines.generate(sd15.get(), request.toBuilder()
                .inpaintOptions(new InpaintOptions(BLUR, 0, true, 16, false)).build(), StepListener.NONE).images()
                : out;
        assertThat(result.parameters(Optional.empty()))
                .contains(", Size: " + generated.dim(2) + "x" + generated.dim(1) + ",");
        int outside = 0;
        double changeInside = 0;
        int inside = 0;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double dx = Math.max(Math.max(x0 - x, x - (x1 - 1)), 0);
                double dy = Math.max(Math.max(y0 - y, y - (y1 - 1)), 0);
                boolean far = Math.hypot(dx, dy) > BLUR;
                boolean masked = dx == 0 && dy == 0;
                for (int c = 0; c < 3; c++) {
                    float input = image.data()[c * WIDTH * HEIGHT + y * WIDTH + x];
                    float output = out.data()[(y * WIDTH + x) * 3 + c];
                    if (far) {
                        assertThat(output).as("pixel (%d, %d) channel %d", x, y, c).isEqualTo(input);
                        outside++;
                    } else if (masked) {
                        changeInside += Math.abs(output - input);
                        inside++;
                    }
                }
            }
        }
        double meanChange = changeInside / inside;
        System.out.printf("only masked %s: %d values beyond the feather identical; mean change inside %.3f%n",
                onlyMasked, outside, meanChange);
        assertThat(outside).isGreaterThan(3 * WIDTH * HEIGHT / 2);
        assertThat(meanChange).isGreaterThan(0.05);
    }
}
