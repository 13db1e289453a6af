package io.fijigen.engine.tensor;

import io.fijigen.engine.tensor.ImageShape;
import java.util.Arrays;

/**
 * Moving between the pipelines' image layout, NHWC [N, H, W, C], and the planar NCHW [N, C, H, W]
 * that masks, crops and compositing work in.
 */
public final class Layouts {
    private Layouts() {}

    /** [N, H, W, C] → [N, C, H, W]. */
    public static HostTensor nhwcToNchw(HostTensor nhwc) {
        long[] shape = requireRank4(nhwc, "NHWC [N, H, W, C]");
        int batch = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        int channels = (int) shape[3];
        int plane = height * width;
        float[] source = nhwc.data();
        float[] planar = new float[source.length];
        for (int n = 0; n < batch; n++) {
            int image = n * plane * channels;
            for (int at = 0; at < plane; at++) {
                for (int c = 0; c < channels; c++) {
                    planar[image + c * plane + at] = source[image + at * channels + c];
                }
            }
        }
        return new HostTensor(planar, ImageShape.nchw(batch, channels, height, width));
    }

    /** [N, C, H, W] → [N, H, W, C]. */
    public static HostTensor nchwToNhwc(HostTensor nchw) {
        long[] shape = requireRank4(nchw, "NCHW [N, C, H, W]");
        int batch = (int) shape[0];
        int channels = (int) shape[1];
        int height = (int) shape[2];
        int width = (int) shape[3];
        int plane = height * width;
        float[] source = nchw.data();
        float[] interleaved = new float[source.length];
        for (int n = 0; n < batch; n++) {
            int image = n * plane * channels;
            for (int c = 0; c < channels; c++) {
                for (int at = 0; at < plane; at++) {
                    interleaved[image + at * channels + c] = source[image + c * plane + at];
                }
            }
        }
        return new HostTensor(interleaved, new long[] {batch, height, width, channels});
    }

    /** Entry {@code index} of a batch, as a batch of one (any layout). */
    public static HostTensor batchEntry(HostTensor batch, int index) {
        long[] shape = requireRank4(batch, "a batch");
        int size = (int) (shape[1] * shape[2] * shape[3]);
        float[] data = Arrays.copyOfRange(batch.data(), index * size, (index + 1) * size);
        return new HostTensor(data, new long[] {1, shape[1], shape[2], shape[3]});
    }

    /** Batches of equal shape concatenated along the batch axis. */
    public static HostTensor stack(HostTensor... batches) {
        long[] shape = requireRank4(batches[0], "a batch").clone();
        int size = batches[0].data().length;
        float[] data = new float[size * batches.length];
        for (int i = 0; i < batches.length; i++) {
            if (!Arrays.equals(batches[i].shape(), batches[0].shape())) {
                throw new IllegalArgumentException("cannot stack " + batches[i] + " onto " + batches[0]);
            }
            System.arraycopy(batches[i].data(), 0, data, i * size, size);
        }
        shape[0] = (long) batches.length * shape[0];
        return new HostTensor(data, shape);
    }

    private static long[] requireRank4(HostTensor tensor, String layout) {
        if (tensor.shape().length != 4) {
            throw new IllegalArgumentException("expected " + layout + "; got shape " + Arrays.toString(tensor.shape()));
        }
        return tensor.shape();
    }
}
