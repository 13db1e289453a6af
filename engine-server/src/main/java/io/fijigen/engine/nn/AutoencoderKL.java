package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code AutoencoderKL}: {@link #encode} an image in [−1, 1] to its posterior, {@link
 * #decode} latents to an image. Neither applies {@code scaling_factor}: pipelines do, as in the
 * reference.
 */
public final class AutoencoderKL {
    private final AutoencoderKLConfig config;
    private final Encoder encoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final Decoder decoder;

    public AutoencoderKL(AutoencoderKLConfig config, StateDict weights) {
        this.config = config;
        this.encoder = new Encoder(config, weights.scope("encoder"));
        this.quantConv = config.useQuantConv() ? Conv2d.same(weights.scope("quant_conv")) : null;
        this.postQuantConv = config.usePostQuantConv() ? Conv2d.same(weights.scope("post_quant_conv")) : null;
        this.decoder = new Decoder(config, weights.scope("decoder"));
    }

    public AutoencoderKLConfig config() {
        return config;
    }

    public DiagonalGaussianDistribution encode(NDArray image) {
        try (NDArray moments = moments(image)) {
            return new DiagonalGaussianDistribution(moments);
        }
    }

    /** The posterior's parameters, mean and log-variance stacked on channels: what tiles of an image blend. */
    public NDArray moments(NDArray image) {
        return Ops.scoped(image, () -> {
            NDArray h = encoder.forward(image);
            return quantConv == null ? h : quantConv.forward(h);
        });
    }

    public NDArray decode(NDArray latents) {
        return Ops.scoped(latents,
                () -> decoder.forward(postQuantConv == null ? latents : postQuantConv.forwardInput(latents)));
    }
}
