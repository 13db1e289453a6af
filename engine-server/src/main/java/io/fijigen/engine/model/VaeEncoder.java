package io.fijigen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.nn.AutoencoderKL;

/**
 * The VAE encode of a model, as img2img and inpainting encode their images. With {@code
 * force_upcast} (SDXL's VAE, which overflows fp16) an fp16 model encodes in float32, with the
 * VAE's weights loaded a second time in float32 ({@link Float32Vae}, the decoder's copy), as the
 * reference's SDXL pipelines upcast the VAE around {@code vae.encode} ({@code prepare_latents},
 * {@code _encode_vae_image}); otherwise the encode runs in the model's type.
 */
public final class VaeEncoder {
    private final AutoencoderKL vae;
    private final DataType dtype;
    private final Float32Vae fullPrecision;
    private final boolean forceUpcast;

    /** @param forceUpcast encode in float32 even when the model is fp16 */
    VaeEncoder(AutoencoderKL vae, DataType dtype, Float32Vae fullPrecision, boolean forceUpcast) {
        this.vae = vae;
        this.dtype = dtype;
        this.fullPrecision = fullPrecision;
        this.forceUpcast = forceUpcast;
    }

    /**
     * The posterior's parameters ({@link AutoencoderKL#moments}) of an image in [−1, 1], in {@code
     * image}'s manager: float32 when upcast, else in the model's type.
     */
    public NDArray moments(NDArray image) {
        if (dtype == DataType.FLOAT32 || !forceUpcast) {
            return vae.moments(image);
        }
        return fullPrecision.apply(image, "to encode in float32", AutoencoderKL::moments);
    }
}
