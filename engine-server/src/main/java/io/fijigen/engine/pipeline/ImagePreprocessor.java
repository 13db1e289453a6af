package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.nn.Ops;
import io.fijigen.engine.tensor.HostTensor;

/**
 * The reference's {@code VaeImageProcessor} for images going into the VAE: sides rounded down to a
 * multiple of the VAE's downscale (resized nearest-neighbour when they were not, as the reference
 * resizes tensors), then [0, 1] mapped to [−1, 1]; and back for decoded images.
 */
public final class ImagePreprocessor {
    private ImagePreprocessor() {}

    /** [N, 3, H, W] in [0, 1] → [N, 3, H', W'] in [−1, 1], H' and W' multiples of {@code multiple}. */
    public static NDArray toModelInput(HostTensor image, int multiple, NDManager manager) {
        long height = image.dim(2) - image.dim(2) % multiple;
        long width = image.dim(3) - image.dim(3) % multiple;
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels = image.toNDArray(scope);
            if (height != image.dim(2) || width != image.dim(3)) {
                pixels = Ops.upsampleNearest(pixels, height, width);
            }
            NDArray normalized = pixels.mul(2).sub(1);
            normalized.attach(manager);
            return normalized;
        }
    }

    /** Decoder output [N, 3, H, W] in about [−1, 1] on the host → [N, H, W, 3] in [0, 1]. */
    public static HostTensor toImages(HostTensor decoded) {
        int batch = (int) decoded.dim(0);
        int channels = (int) decoded.dim(1);
        int plane = (int) (decoded.dim(2) * decoded.dim(3));
        float[] source = decoded.data();
        float[] images = new float[source.length];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int at = 0; at < plane; at++) {
                    float value = source[(n * channels + c) * plane + at] * 0.5f + 0.5f;
                    images[(n * plane + at) * channels + c] = Math.min(1f, Math.max(0f, value));
                }
            }
        }
        return new HostTensor(images, new long[] {batch, decoded.dim(2), decoded.dim(3), channels});
    }
}
