package io.fijigen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a spatial network over overlapping tiles of an NCHW input and blends the tiles' outputs with
 * linear ramps across the overlaps, so memory follows the tile, not the image, and no seam shows.
 * Where the input fits one tile the network runs once on all of it, exactly as untiled.
 *
 * @param tile tile side on the input's grid
 * @param overlap pixels shared by neighbouring tiles, blended over
 */
public record Tiling(int tile, int overlap) {

    public Tiling {
        if (tile < 8) {
            throw new IllegalArgumentException("tile " + tile + " is below 8 pixels");
        }
        if (overlap < 0 || overlap > maxOverlap(tile)) {
            throw new IllegalArgumentException("tile overlap " + overlap + " is outside 0.."
                    + maxOverlap(tile) + " (less than half the tile " + tile + ")");
        }
    }

    /** The largest overlap a tile allows: less than half of it, so a tile's two ramps never meet. */
    public static int maxOverlap(int tile) {
        return tile / 2 - 1;
    }

    /**
     * {@code network} applied tile by tile; its output may be {@code scale} times the input's size
     * (the VAE decoder's ×4). The result is in {@code input}'s manager.
     */
    public NDArray apply(NDArray input, int scale, UnaryOperator<NDArray> network) {
        if (fitsOneTile(input.getShape())) {
            return network.apply(input);
        }
        return applyToHost(input, scale, network).toNDArray(input.getManager());
    }

    /**
     * The same, blended on the host: only one tile's arrays are ever native, so native memory is
     * bounded by the tile whatever the image (a 2048² decode would otherwise hold several
     * full-size arrays at once).
     */
    public HostTensor applyToHost(NDArray input, int scale, UnaryOperator<NDArray> network) {
        return applyToHost(input, scale, 1, network);
    }

    /**
     * The same for a network whose output is {@code up / down} times its input's size: the VAE
     * encoder's 1/8 ({@code down} 8). Tiles then start on multiples of {@code down}: the tile, the
     * overlap and the input's sides must be multiples of it.
     */
    public HostTensor applyToHost(NDArray input, int up, int down, UnaryOperator<NDArray> network) {
        Shape shape = input.getShape();
        if (tile % down != 0 || overlap % down != 0 || shape.get(2) % down != 0 || shape.get(3) % down != 0) {
            throw new IllegalArgumentException("tile " + tile + ", overlap " + overlap + " and input " + shape.get(2)
                    + "×" + shape.get(3) + " must be multiples of " + down + " for a network that scales by 1/" + down);
        }
        List<int[]> rows = spans((int) shape.get(2));
        List<int[]> columns = spans((int) shape.get(3));
        int height = (int) shape.get(2) * up / down;
        int width = (int) shape.get(3) * up / down;
        float[] sum = null;
        float[] weights = new float[height * width];
        long planes = 0;
        for (int[] row : rows) {
            for (int[] column : columns) {
                float[] tile;
                long[] tileShape;
                try (NDManager scope = input.getManager().newSubManager()) {
                    NDArray part = input.get(new NDIndex(":, :, {}:{}, {}:{}", row[0], row[1], column[0], column[1]));
                    part.attach(scope);
                    NDArray out = network.apply(part);
                    out.attach(scope);
                    tileShape = out.getShape().getShape();
                    tile = out.toType(DataType.FLOAT32, false).toFloatArray();
                }
                if (sum == null) {
                    planes = tileShape[0] * tileShape[1];
                    sum = new float[Math.toIntExact(planes * height * width)];
                }
                accumulate(sum, weights, tile, (int) planes, row[0] * up / down, column[0] * up / down,
                        (int) tileShape[2], (int) tileShape[3], axisRamp(row, rows, up, down),
                        axisRamp(column, columns, up, down), height, width);
            }
        }
        int plane = height * width;
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= weights[i % plane];
        }
        return new HostTensor(sum, new long[] {shape.get(0), planes / shape.get(0), height, width});
    }

    private boolean fitsOneTile(Shape shape) {
        return shape.get(2) <= tile && shape.get(3) <= tile;
    }

    private static void accumulate(float[] sum, float[] weights, float[] tile, int planes, int top, int left,
            int tileHeight, int tileWidth, float[] wy, float[] wx, int height, int width) {
        for (int y = 0; y < tileHeight; y++) {
            for (int x = 0; x < tileWidth; x++) {
                float weight = wy[y] * wx[x];
                int at = (top + y) * width + left + x;
                weights[at] += weight;
                for (int p = 0; p < planes; p++) {
                    sum[p * height * width + at] += weight * tile[(p * tileHeight + y) * tileWidth + x];
                }
            }
        }
    }

    /** Tile starts and ends along one axis: every {@code tile − overlap}, the last flush with the end. */
    public List<int[]> spans(int size) {
        List<int[]> spans = new ArrayList<>();
        if (size <= tile) {
            spans.add(new int[] {0, size});
            return spans;
        }
        int stride = tile - overlap;
        for (int start = 0; ; start += stride) {
            int clamped = Math.min(start, size - tile);
            spans.add(new int[] {clamped, clamped + tile});
            if (clamped + tile >= size) {
                return spans;
            }
        }
    }

    /**
     * A tile's blending weight along one axis, at the output's scale: 1 inside, rising linearly
     * across each overlap with a neighbour (never 0, so every pixel has weight), 1 at the image's
     * own edges.
     */
    private float[] axisRamp(int[] span, List<int[]> spans, int up, int down) {
        int length = (span[1] - span[0]) * up / down;
        int index = spans.indexOf(span);
        boolean before = index > 0;
        boolean after = index < spans.size() - 1;
        int width = Math.max(1, overlap * up / down);
        float[] ramp = new float[length];
        for (int i = 0; i < length; i++) {
            float weight = 1f;
            if (before) {
                weight = Math.min(weight, (i + 1f) / (width + 1f));
            }
            if (after) {
                weight = Math.min(weight, (length - i) / (width + 1f));
            }
            ramp[i] = weight;
        }
        return ramp;
    }
}
