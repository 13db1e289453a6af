package io.fijigen.engine.image;

/**
 * Exact squared Euclidean distance to the nearest set pixel (Felzenszwalb and Huttenlocher, "Distance
 * Transforms of Sampled Functions", 2012): one pass down the columns, one along the rows, each the
 * lower envelope of parabolas. Linear in the pixel count whatever the distance, so growing a mask by
 * 200 pixels costs what growing it by 2 does.
 */
final class DistanceTransform {
    /** The distance of a pixel with no set pixel in the image at all. */
    static final int NONE = Integer.MAX_VALUE;

    private DistanceTransform() {}

    /** Squared distances for a height×width plane, row-major; 0 where {@code set} is true. */
    static int[] squared(boolean[] set, int height, int width) {
        int[] distance = new int[height * width];
        for (int i = 0; i < distance.length; i++) {
            distance[i] = set[i] ? 0 : NONE;
        }
        int longest = Math.max(height, width);
        Envelope envelope = new Envelope(longest);
        int[] line = new int[longest];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                line[y] = distance[y * width + x];
            }
            envelope.transform(line, height);
            for (int y = 0; y < height; y++) {
                distance[y * width + x] = line[y];
            }
        }
        for (int y = 0; y < height; y++) {
            System.arraycopy(distance, y * width, line, 0, width);
            envelope.transform(line, width);
            System.arraycopy(line, 0, distance, y * width, width);
        }
        return distance;
    }

    /** The 1-D transform d(q) = min over p of (q − p)² + f(p), with scratch space reused across lines. */
    private static final class Envelope {
        private final int[] parabolas;
        private final double[] bounds;
        private final int[] result;

        Envelope(int capacity) {
            parabolas = new int[capacity];
            bounds = new double[capacity + 1];
            result = new int[capacity];
        }

        /** Replaces {@code f[0..n)} by its transform; NONE entries contribute no parabola. */
        void transform(int[] f, int n) {
            int k = -1;
            for (int q = 0; q < n; q++) {
                if (f[q] == NONE) {
                    continue;
                }
                while (true) {
                    if (k < 0) {
                        k = 0;
                        parabolas[0] = q;
                        bounds[0] = Double.NEGATIVE_INFINITY;
                        break;
                    }
                    double s = intersection(f, parabolas[k], q);
                    if (s <= bounds[k]) {
                        k--;
                        continue;
                    }
                    k++;
                    parabolas[k] = q;
                    bounds[k] = s;
                    break;
                }
            }
            if (k < 0) {
                return; // no set pixel on this line: every entry stays NONE
            }
            bounds[k + 1] = Double.POSITIVE_INFINITY;
            int j = 0;
            for (int q = 0; q < n; q++) {
                while (bounds[j + 1] < q) {
                    j++;
                }
                int offset = q - parabolas[j];
                result[q] = offset * offset + f[parabolas[j]];
            }
            System.arraycopy(result, 0, f, 0, n);
        }

        /**
         * Where the parabolas rooted at p and q (p < q) cross. The numerator is an integer held
         * exactly in a double, so the only rounding is the division: a crossing on an integer is
         * exact, and any other is at least 1/(2n) from one, far more than the rounding, so it never
         * changes which parabola wins at an integer.
         */
        private static double intersection(int[] f, int p, int q) {
            double rise = ((double) f[q] + (double) q * q) - ((double) f[p] + (double) p * p);
            return rise / (2.0 * (q - p));
        }
    }
}
