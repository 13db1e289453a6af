package io.fijigen.engine.model;

import ai.djl.ndarray.types.Shape;

/**
 * When the VAE runs in tiles. Images up to 768² pixels (SD 2's own size) are encoded and decoded
 * whole, exactly as the reference does by default. Larger ones go in tiles of 512² pixels
 * overlapping by 128 (diffusers' {@code enable_vae_tiling} sizes), blended across the overlaps:
 * the decoder's full-resolution layers are what fills memory (SD 1.5 at 1024² in float32 peaked at
 * 9.8 GiB whole), and tiles keep that to a tile's worth whatever the image. Each tile normalises
 * its own activations, so a tiled image differs slightly from a whole one, as with diffusers' tiling.
 */
public final class VaeTiling {
    /** The largest image, in pixels, that is encoded and decoded whole. */
    public static final long WHOLE_PIXELS = 768L * 768;
    public static final int TILE_PIXELS = 512;
    public static final int OVERLAP_PIXELS = 128;

    private VaeTiling() {}

    public static boolean tiled(long width, long height) {
        return width * height > WHOLE_PIXELS;
    }

    /** Tiles on the latent grid for decoding {@code latents} [B, C, h, w], or null to decode them whole. */
    public static Tiling forDecode(Shape latents, int downscale) {
        return tiled(latents.get(3) * downscale, latents.get(2) * downscale)
                ? new Tiling(TILE_PIXELS / downscale, OVERLAP_PIXELS / downscale)
                : null;
    }

    /** Tiles on the pixel grid for encoding {@code image} [B, 3, H, W], or null to encode it whole. */
    public static Tiling forEncode(Shape image) {
        return tiled(image.get(3), image.get(2)) ? new Tiling(TILE_PIXELS, OVERLAP_PIXELS) : null;
    }
}
