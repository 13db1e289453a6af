package io.fijigen.engine.random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.schedule.NoiseSource;

/**
 * A job's random draws: one {@link TorchGenerator} seeded with the job's seed, drawn on the CPU in
 * the reference order and then created on the device, so a seed gives the same image on any device
 * and the same as diffusers with a CPU generator.
 */
public final class JobNoise implements NoiseSource {
    private final TorchGenerator generator;

    public JobNoise(long seed) {
        this.generator = new TorchGenerator(seed);
    }

    public long seed() {
        return generator.seed();
    }

    @Override
    public NDArray randn(Shape shape, NDManager manager) {
        return manager.create(generator.normal(Math.toIntExact(shape.size())), shape);
    }
}
