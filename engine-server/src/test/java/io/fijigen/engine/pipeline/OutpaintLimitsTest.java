package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.image.BorderFill;
import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** What an outpaint may ask for, checked before any work: each refusal names the field, the value and the limit. */
class OutpaintLimitsTest {
    private static final HostTensor IMAGE = new HostTensor(new float[3 * 96 * 128], new long[] {1, 3, 96, 128});

    private static GenerationRequest.Builder outpaint(int left, int top, int right, int bottom) {
        return GenerationRequest.builder("a beach")
                .initImage(IMAGE, 1.0)
                .outpaint(new Outpaint(left, top, right, bottom, 8, BorderFill.EDGE));
    }

    private static void assertRefused(GenerationRequest request, String field, String message) {
        assertThatThrownBy(() -> RequestLimits.check(request, 8, 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field));
    }

    @Test
    void aNegativeSide() {
        assertRefused(outpaint(32, 0, -4, 8).build(), "outpaint.right", "outpaint.right: -4 is outside 0..2048");
    }

    @Test
    void noSideThatGrows() {
        assertRefused(outpaint(0, 0, 0, 0).build(), "outpaint", "every side is 0; grow at least one side");
    }

    @Test
    void aResultBeyondTheLargestSide() {
        assertRefused(outpaint(1000, 0, 921, 8).build(), "outpaint",
                "the grown image would be 2049x104, beyond the largest side 2048");
    }

    @Test
    void noInitImage() {
        assertRefused(outpaint(32, 0, 16, 8).initImage(null, 1.0).build(), "outpaint", "needs an init image");
    }

    @Test
    void aMaskBeside() {
        HostTensor mask = new HostTensor(new float[96 * 128], new long[] {1, 1, 96, 128});
        assertRefused(outpaint(32, 0, 16, 8).mask(mask).build(), "outpaint", "takes no mask");
    }

    @Test
    void anOverlapBeyondItsRange() {
        assertRefused(outpaint(32, 0, 16, 8).outpaint(new Outpaint(32, 0, 16, 8, 1025, BorderFill.EDGE)).build(),
                "outpaint.overlap", "outpaint.overlap: 1025 is outside 0..1024");
    }

    @Test
    void theLargestResultPasses() {
        RequestLimits.check(outpaint(1000, 0, 920, 8).build(), 8, 1);
        assertThat(new Outpaint(1000, 0, 920, 8, 8, BorderFill.EDGE).width(128)).isEqualTo(2048);
    }
}
