/**
 * A job's random numbers. {@link io.fijigen.engine.random.TorchGenerator} is torch's CPU generator
 * (mt19937 seeded as torch seeds it, then {@code torch.randn}'s Box-Muller) in Java, so every job
 * owns one: DJL's seeded generator gives the same numbers but is global to the process. {@link
 * io.fijigen.engine.random.JobNoise} wraps one per job as the schedulers' {@code NoiseSource}: it
 * draws on the CPU and then creates the array on the job's device, so a seed gives the same image on
 * any device and the same as diffusers with a CPU generator.
 *
 * <p>A pipeline draws in its reference's order (the pipelines' javadocs state theirs). Another kind
 * of draw is a method on {@code TorchGenerator}, checked value for value against libtorch in {@code
 * TorchGeneratorTest}, not a call to DJL's random ops.
 */
package io.fijigen.engine.random;
