package io.fijigen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.tensor.HostTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VAE decode of a model, safe in fp16. SD's VAE is known to overflow fp16 in its decoder at
 * some latents (large activations in the up blocks), and the image comes out NaN, black in the
 * reference. Here an fp16 decode whose output is not all finite is done again in float32, with the
 * VAE's weights loaded a second time in float32 ({@link Float32Vae}).
 * With {@code force_upcast} (SDXL's VAE, which overflows fp16 routinely) every fp16 model's decode
 * is done in float32 straight away, as the reference's SDXL pipelines upcast the VAE.
 */
public final class VaeDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(VaeDecoder.class);

    private final AutoencoderKL vae;
    private final DataType dtype;
    private final Float32Vae fullPrecision;
    private final boolean forceUpcast;

    /** @param forceUpcast decode in float32 even when the model is fp16 */
    VaeDecoder(AutoencoderKL vae, DataType dtype, Float32Vae fullPrecision, boolean forceUpcast) {
        this.vae = vae;
        this.dtype = dtype;
        this.fullPrecision = fullPrecision;
        this.forceUpcast = forceUpcast;
    }

    /**
     * Latents (already divided by the scaling factor) to images in about [−1, 1] on the host, as a
     * job decodes them: whole, or in {@code tiling}'s tiles, or where that is null and the image
     * is large, in {@link VaeTiling}'s; {@code beforeEachTile} runs before each tile's decode (a
     * job's cancellation point: it stops the decode by throwing).
     */
    public HostTensor decodeToHost(NDArray latents, Tiling tiling, Runnable beforeEachTile) {
        int downscale = vae.config().downscale();
        Tiling tiles = tiling != null ? tiling : VaeTiling.forDecode(latents.getShape(), downscale);
        if (tiles != null) {
            return tiles.applyToHost(latents, downscale, tile -> {
                beforeEachTile.run();
                return decode(tile);
            });
        }
        try (NDManager scope = latents.getManager().newSubManager()) {
            NDArray decoded = decode(latents);
            decoded.attach(scope);
            return HostTensor.of(decoded.toType(DataType.FLOAT32, false));
        }
    }

    /** Latents (already divided by the scaling factor) to an image in about [−1, 1], in {@code latents}' manager. */
    public NDArray decode(NDArray latents) {
        if (dtype == DataType.FLOAT32) {
            return vae.decode(latents);
        }
        if (forceUpcast) {
            return decodeInFloat32(latents);
        }
        NDArray decoded = vae.decode(latents);
        if (allFinite(decoded)) {
            return decoded;
        }
        decoded.close();
        LOG.warn("the fp16 VAE decode overflowed (NaN or infinity in the image): decoding again in float32");
        return decodeInFloat32(latents);
    }

    private NDArray decodeInFloat32(NDArray latents) {
        return fullPrecision.apply(latents, "to decode in float32", AutoencoderKL::decode);
    }

    private static boolean allFinite(NDArray image) {
        try (NDManager scope = image.getManager().newSubManager()) {
            image.tempAttach(scope);
            return !image.isNaN().logicalOr(image.isInfinite()).any().getBoolean();
        }
    }
}
