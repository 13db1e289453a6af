package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A job's random draws: standard normal float32 samples (one seeded generator per job; the engine supplies it). */
@FunctionalInterface
public interface NoiseSource {
    NDArray randn(Shape shape, NDManager manager);
}
