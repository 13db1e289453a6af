package io.fijigen.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.nn.AutoencoderKL;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * A model's VAE loaded a second time in float32, on first need, then kept with the model: what an
 * fp16 model decodes and encodes with where fp16 overflows (SD's decoder at some latents, SDXL's
 * VAE routinely). The decoder and the encoder share it, so a model holds at most one copy.
 */
final class Float32Vae {
    /** Loads the model's VAE again in another float type. */
    @FunctionalInterface
    interface Source {
        AutoencoderKL load(NDManager manager, DataType floatType) throws IOException;
    }

    private final NDManager manager;
    private final Source source;
    private AutoencoderKL vae;

    /** @param manager the model's, which the float32 VAE joins when it is needed */
    Float32Vae(NDManager manager, Source source) {
        this.manager = manager;
        this.source = source;
    }

    /**
     * {@code step} of the float32 VAE on {@code input} taken to float32, in {@code input}'s manager;
     * the float32 copy of an fp16 input is freed after.
     *
     * @param purpose why it is needed, for the error when it cannot be loaded: "to encode in float32"
     */
    NDArray apply(NDArray input, String purpose, BiFunction<AutoencoderKL, NDArray, NDArray> step) {
        NDArray upcast = input.toType(DataType.FLOAT32, false);
        try {
            return step.apply(get(purpose), upcast);
        } finally {
            // An input already in float32 (as pipelines keep latents and images) is the caller's own.
            if (upcast != input) {
                upcast.close();
            }
        }
    }

    private synchronized AutoencoderKL get(String purpose) {
        if (vae == null) {
            try {
                vae = source.load(manager, DataType.FLOAT32);
            } catch (IOException e) {
                throw new UncheckedIOException("could not load the VAE in float32 " + purpose + ": " + e.getMessage(),
                        e);
            }
        }
        return vae;
    }
}
