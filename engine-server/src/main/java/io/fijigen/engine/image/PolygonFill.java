package io.fijigen.engine.image;

import java.util.Arrays;

/**
 * A polygon filled on a pixel grid, deciding each pixel centre exactly as {@code
 * java.awt.geom.Path2D.contains(x + 0.5, y + 0.5)} does with WIND_EVEN_ODD, but a row at a time:
 * asking Path2D pixel by pixel walks every edge for every pixel, which a freehand selection of
 * thousands of vertices on a large image turns into minutes.
 */
final class PolygonFill {
    private PolygonFill() {}

    /** A height×width plane, row-major: 1 where the pixel centre is inside the polygon, else 0. */
    static float[] fill(int width, int height, float[] xs, float[] ys) {
        float[] plane = new float[height * width];
        int vertices = xs.length;
        double[] crossings = new double[vertices];
        for (int y = 0; y < height; y++) {
            double py = y + 0.5;
            int count = 0;
            for (int i = 0; i < vertices; i++) {
                int next = (i + 1) % vertices; // the closing edge, as Path2D adds it implicitly
                double y0 = ys[i];
                double y1 = ys[next];
                // Path2D's rule: an edge spans the rows in [min y, max y), so horizontal edges span none.
                if ((py < y0 && py < y1) || (py >= y0 && py >= y1)) {
                    continue;
                }
                crossings[count++] = crossing(py, xs[i], y0, xs[next], y1);
            }
            Arrays.sort(crossings, 0, count);
            int passed = 0;
            for (int x = 0; x < width; x++) {
                double px = x + 0.5;
                while (passed < count && crossings[passed] <= px) {
                    passed++;
                }
                // Inside when an odd number of edges cross the ray going right from the centre.
                if (((count - passed) & 1) == 1) {
                    plane[y * width + x] = 1f;
                }
            }
        }
        return plane;
    }

    /**
     * The x beyond which a point on row {@code py} no longer sees the edge to its right: Path2D
     * (sun.awt.geom.Curve.pointCrossingsForLine) counts the edge when px is left of both ends, or left
     * of the intercept while left of the right end; that is px below the intercept clamped to the ends.
     * The intercept is computed with Path2D's own expression so that rounding agrees too.
     */
    private static double crossing(double py, double x0, double y0, double x1, double y1) {
        double intercept = x0 + (py - y0) * (x1 - x0) / (y1 - y0);
        return Math.min(Math.max(intercept, Math.min(x0, x1)), Math.max(x0, x1));
    }
}
