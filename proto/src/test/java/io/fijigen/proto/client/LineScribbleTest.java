package io.fijigen.proto.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.gui.Line;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineScribbleTest {
    private static final int WHITE = 0xffffff;

    /** Width 3 around row 5: rows 4..6, and the round ends reach one pixel past (2, 5) and (10, 5). */
    @Test
    void horizontalLineOfWidthThreeCoversThreeRowsWithRoundEnds() {
        ColorProcessor lines = LineScribble.render(List.of(new Line(2, 5, 10, 5)), 16, 12, 3);

        assertThat(whitePixels(lines)).containsExactlyInAnyOrderElementsOf(rectangle(1, 4, 11, 6));
    }

    @Test
    void widthOneIsTheLineItsEndsIncluded() {
        ColorProcessor lines = LineScribble.render(List.of(new Line(2, 5, 10, 5)), 16, 12, 1);

        assertThat(whitePixels(lines)).containsExactlyInAnyOrderElementsOf(rectangle(2, 5, 10, 5));
    }

    /** A corner of width 1 is the two arms, no diagonal pixel filled in. */
    @Test
    void polylineDrawsEachSegment() {
        Roi polyline = new PolygonRoi(new float[] {2, 8, 8}, new float[] {2, 2, 8}, Roi.POLYLINE);

        ColorProcessor lines = LineScribble.render(List.of(polyline), 12, 12, 1);

        List<int[]> expected = rectangle(2, 2, 8, 2);
        expected.addAll(rectangle(8, 3, 8, 8));
        assertThat(whitePixels(lines)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lines.get(0, 0)).isZero();
    }

    @Test
    void areasAmongTheRoisAreSkipped() {
        ColorProcessor lines = LineScribble.render(List.of(new Roi(0, 0, 6, 6), new Line(2, 5, 10, 5)), 16, 12, 1);

        assertThat(whitePixels(lines)).containsExactlyInAnyOrderElementsOf(rectangle(2, 5, 10, 5));
    }

    @Test
    void noLineIsRefused() {
        assertThatThrownBy(() -> LineScribble.render(List.of(new Roi(0, 0, 6, 6)), 16, 12, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no line among the 1 selection");
    }

    @Test
    void widthOutOfRangeIsRefused() {
        assertThatThrownBy(() -> LineScribble.render(List.of(new Line(2, 5, 10, 5)), 16, 12, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line width 0 is out of 1..64");
    }

    private static List<int[]> whitePixels(ColorProcessor image) {
        List<int[]> white = new ArrayList<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.get(x, y) & 0xffffff;
                assertThat(rgb).as("pixel (%d, %d)", x, y).isIn(0, WHITE);
                if (rgb == WHITE) {
                    white.add(new int[] {x, y});
                }
            }
        }
        return white;
    }

    private static List<int[]> rectangle(int left, int top, int right, int bottom) {
        List<int[]> pixels = new ArrayList<>();
        for (int y = top; y <= bottom; y++) {
            for (int x = left; x <= right; x++) {
                pixels.add(new int[] {x, y});
            }
        }
        return pixels;
    }
}
