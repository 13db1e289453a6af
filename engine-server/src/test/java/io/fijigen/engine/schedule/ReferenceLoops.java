package io.fijigen.engine.schedule;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * The reference's own scheduler tests ({@code tests/schedulers/test_scheduler_*.py} of diffusers),
 * transcribed: their deterministic sample and noise ({@code dummy_sample_deter},
 * {@code dummy_noise_deter} of {@code test_schedulers.py}), their dummy model
 * {@code sample * t / (t + 1)} and their two loop shapes.
 */
final class ReferenceLoops {
    private static final int ELEMENTS = 4 * 3 * 8 * 8;

    private ReferenceLoops() {}

    /** A scheduler config as the tests write it: a class name and the keyword arguments, as JSON members. */
    static SchedulerConfig config(String className, String members) {
        return SchedulerConfig.from(ConfigFile.parse(className + " test config",
                "{\"_class_name\": \"" + className + "\"" + (members.isEmpty() ? "" : ", " + members) + "}"));
    }

    /** arange(768) laid out as (3, 8, 8, 4), divided by 768, permuted to (4, 3, 8, 8). */
    static NDArray dummySampleDeter(NDManager manager) {
        return manager.arange(0f, ELEMENTS, 1f, DataType.FLOAT32).reshape(3, 8, 8, 4).div(ELEMENTS).transpose(3, 0, 1, 2);
    }

    /** The same, counting down: the tests' forward-noise draw. */
    static NDArray dummyNoiseDeter(NDManager manager) {
        return manager.arange(0f, ELEMENTS, 1f, DataType.FLOAT32).flip(0).reshape(3, 8, 8, 4).div(ELEMENTS)
                .transpose(3, 0, 1, 2);
    }

    /** What a loop calls as the UNet: the tests' {@link #model}, or another. */
    interface DummyModel {
        NDArray predict(NDArray sample, double t);
    }

    /** The dummy model: sample · t / (t + 1), in float32. */
    static NDArray model(NDArray sample, double t) {
        float time = (float) t;
        return sample.mul(time).div(time + 1f);
    }

    /** Draws from the process-wide torch generator, as the tests' {@code torch.manual_seed(0)} generator. */
    static NoiseSource globalGenerator(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        return (shape, manager) -> manager.randomNormal(shape);
    }

    /** The sigma-scheduler tests' loop (Euler, Euler a, LMS, Heun) with the dummy {@link #model}. */
    static NDArray scaledLoop(Scheduler scheduler, NDManager manager, int tStart, NoiseSource noise) {
        return loop(scheduler, manager, true, ReferenceLoops::model, tStart, noise);
    }

    /** The other tests' loop (DDIM, DDPM, PNDM, DPM-Solver, UniPC) with the dummy {@link #model}. */
    static NDArray plainLoop(Scheduler scheduler, NDManager manager, int tStart, NoiseSource noise) {
        return loop(scheduler, manager, false, ReferenceLoops::model, tStart, noise);
    }

    /**
     * The tests' loops: start from dummy_sample_deter, times init_noise_sigma when {@code scaled}
     * (the sigma schedulers' tests), noised to the start index when {@code tStart} ≥ 0; then per
     * timestep: sample = scale_model_input(sample) when {@code scaled}; sample = step(model(sample, t), sample).
     */
    static NDArray loop(Scheduler scheduler, NDManager manager, boolean scaled, DummyModel model, int tStart,
            NoiseSource noise) {
        NDArray sample = scaled ? dummySampleDeter(manager).mul(scheduler.initNoiseSigma()) : dummySampleDeter(manager);
        int begin = 0;
        if (tStart >= 0) {
            begin = tStart * scheduler.order();
            sample = scheduler.addNoise(sample, dummyNoiseDeter(manager), begin);
        }
        double[] timesteps = scheduler.timesteps();
        for (int i = begin; i < timesteps.length; i++) {
            if (scaled) {
                sample = scheduler.scaleModelInput(sample, i);
            }
            sample = scheduler.step(model.predict(sample, timesteps[i]), i, sample, noise);
        }
        return sample;
    }

    static double absSum(NDArray x) {
        return x.abs().sum().getFloat();
    }

    static double absMean(NDArray x) {
        return x.abs().mean().getFloat();
    }
}
