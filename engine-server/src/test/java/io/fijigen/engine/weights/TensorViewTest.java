package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Views are byte ranges of their source: rows of the first dimension, the same bytes in another
 * shape, or a 2-D tensor's transpose.
 */
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

    /** OpenCLIP's text_projection [hidden, projection] read as a Linear weight: its whole bytes, transposed on load. */
    @Test
    void aTransposeKeepsTheBytesAndReversesTheShape() {
        TensorView projection = TensorView.of(IN_PROJ).transpose().renamed("text_projection.weight");
        assertThat(projection.transposed()).isTrue();
        assertThat(projection.shape()).containsExactly(4, 12);
        assertThat(projection.stored().shape()).containsExactly(12, 4);
        assertThat(projection.info().begin()).isEqualTo(1000);
        assertThat(projection.info().end()).isEqualTo(1000 + 12 * 4 * 2);
        assertThat(projection.transpose().transposed()).isFalse();
        assertThatThrownBy(() -> projection.rows(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transpose of");
        assertThatThrownBy(() -> TensorView.of(new TensorInfo("bias", TensorDtype.F16, new long[] {4}, 0, 8))
                .transpose()).hasMessageContaining("not 2-D");
    }
}
