package io.fijigen.engine.server;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.tensor.HostTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * A cheap preview of the first image's latents: each pixel of the latent grid mapped to RGB by a
 * fixed linear map of its four channels (the approximation of Stable Diffusion's VAE decoder that
 * web UIs use for live previews), as a small PNG. No decoder pass, so previews cost nothing.
 */
final class LatentPreview {
    /** RGB contribution of each of the four latent channels (SD 1.x/2.x latent space). */
    private static final float[][] FACTORS = {
        {0.298f, 0.207f, 0.208f},
        {0.187f, 0.286f, 0.173f},
        {-0.158f, 0.189f, 0.264f},
        {-0.184f, -0.271f, -0.473f},
    };

    private LatentPreview() {}

    static byte[] png(NDArray latents) throws IOException {
        long height = latents.getShape().get(2);
        long width = latents.getShape().get(3);
        int channels = (int) Math.min(4, latents.getShape().get(1));
        int plane = (int) (height * width);
        float[] values = latents.toType(DataType.FLOAT32, false).toFloatArray();
        float[] rgb = new float[plane * 3];
        for (int at = 0; at < plane; at++) {
            for (int c = 0; c < 3; c++) {
                float sum = 0;
                for (int k = 0; k < channels; k++) {
                    sum += FACTORS[k][c] * values[k * plane + at];
                }
                rgb[at * 3 + c] = Math.min(1f, Math.max(0f, (sum + 1f) / 2f));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(PngWriter.toImage(new HostTensor(rgb, new long[] {1, height, width, 3}), 0), "png", out);
        return out.toByteArray();
    }
}
