package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Mistakes in a call are reported with the values that were wrong, before OpenCV sees them. */
class CannyEdgesErrorsTest {
    private static final byte[] RGB_2X2 = new byte[12];

    @Test
    void lowAboveHighIsRejectedNamingBoth() {
        assertThatThrownBy(() -> CannyEdges.edges(RGB_2X2, 2, 2, 3, 200, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low threshold 200.0")
                .hasMessageContaining("high threshold 100.0");
    }

    @Test
    void negativeOrNonNumericThresholdsAreRejected() {
        assertThatThrownBy(() -> CannyEdges.edges(RGB_2X2, 2, 2, 3, -1, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-negative")
                .hasMessageContaining("low -1.0");
        assertThatThrownBy(() -> CannyEdges.edges(RGB_2X2, 2, 2, 3, 0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("high NaN");
    }

    @Test
    void wrongBufferLengthNamesExpectedAndActual() {
        assertThatThrownBy(() -> CannyEdges.edges(new byte[11], 2, 2, 3, 100, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 11 bytes")
                .hasMessageContaining("expected 12");
    }

    @Test
    void onlyGreyOrRgbChannelCounts() {
        assertThatThrownBy(() -> CannyEdges.edges(new byte[16], 2, 2, 4, 100, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 4");
    }

    @Test
    void emptyImageIsRejected() {
        assertThatThrownBy(() -> CannyEdges.edges(new byte[0], 0, 5, 1, 100, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5×0");
    }

    @Test
    void sixteenBitGreyIsRejectedRatherThanGuessedAt() {
        BufferedImage grey16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        assertThatThrownBy(() -> CannyEdges.edges(grey16, 100, 200))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bits");
    }
}
