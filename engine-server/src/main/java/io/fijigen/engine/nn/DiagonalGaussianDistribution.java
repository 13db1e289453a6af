package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The VAE encoder's posterior: the moments split into mean and log-variance, the log-variance
 * clamped to [−30, 20] as the reference does before taking std = exp(logvar / 2).
 */
public final class DiagonalGaussianDistribution implements AutoCloseable {
    private final NDArray mean;
    private final NDArray logvar;

    public DiagonalGaussianDistribution(NDArray moments) {
        NDList halves = moments.split(2, 1);
        this.mean = halves.get(0);
        this.logvar = halves.get(1).clip(-30f, 20f);
        halves.get(1).close();
    }

    public NDArray mean() {
        return mean;
    }

    public NDArray logvar() {
        return logvar;
    }

    /** mean + std·ε, with ε a standard normal draw of the mean's shape (the reference's {@code sample}). */
    public NDArray sample(NDArray noise) {
        return Ops.scoped(noise, () -> logvar.mul(0.5f).exp().mul(noise).add(mean));
    }

    @Override
    public void close() {
        mean.close();
        logvar.close();
    }
}
