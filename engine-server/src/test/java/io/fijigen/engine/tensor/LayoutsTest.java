package io.fijigen.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** NHWC as the pipelines return images, NCHW as masks and compositing use them. */
class LayoutsTest {

    @Test
    void nhwcBecomesPlanarAndBack() {
        // [2, 1, 2, 3]: two images of one row, two pixels, three channels; value 100·n + 10·x + c.
        float[] nhwc = new float[12];
        for (int n = 0; n < 2; n++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 3; c++) {
                    nhwc[n * 6 + x * 3 + c] = 100 * n + 10 * x + c;
                }
            }
        }
        HostTensor interleaved = new HostTensor(nhwc, new long[] {2, 1, 2, 3});
        HostTensor planar = Layouts.nhwcToNchw(interleaved);
        assertThat(planar.shape()).containsExactly(2, 3, 1, 2);
        assertThat(planar.data()).containsExactly(0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112);
        assertThat(Layouts.nchwToNhwc(planar)).isEqualTo(interleaved);
    }

    @Test
    void onlyFourDimensionsAreImages() {
        assertThatThrownBy(() -> Layouts.nhwcToNchw(new HostTensor(new float[6], new long[] {2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NHWC").hasMessageContaining("[2, 3]");
    }
}
