package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Views are byte ranges of their source: rows of the first dimension, or the same bytes in another shape. */
class TensorViewTest {
    private static final TensorInfo IN_PROJ = new TensorInfo("attn.in_proj_weight", TensorDtype.F16,
            new long[] {12, 4}, 1000, 1000 + 12 * 4 * 2);

    @Test
    void rowsAreAContiguousPartOfTheSourceBytes() {
        TensorView k = TensorView.of(IN_PROJ).rows(4, 8).renamed("k_proj.weight");
        assertThat(k.source()).isEqualTo("attn.in_proj_weight");
        assertThat(k.key()).isEqualTo("k_proj.weight");
        assertThat(k.shape()).containsExactly(4, 4);
        assertThat(k.info().begin()).isEqualTo(1000 + 4 * 4 * 2);
        assertThat(k.info().end()).isEqualTo(1000 + 8 * 4 * 2);
    }

    @Test
    void aReshapeKeepsTheBytesAndRefusesAnotherSize() {
        TensorView conv = TensorView.of(new TensorInfo("q.weight", TensorDtype.F32, new long[] {8, 8, 1, 1}, 0, 256));
        assertThat(conv.reshaped(8, 8).info().end()).isEqualTo(256);
        assertThatThrownBy(() -> conv.reshaped(8, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("q.weight").hasMessageContaining("[8, 4]");
        assertThatThrownBy(() -> TensorView.of(IN_PROJ).rows(8, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows [8, 16)");
    }
}
