/**
 * Noise schedulers, matching the reference (diffusers) classes of the same names step for step.
 *
 * <p>A job's denoising loop, by index into {@link io.fijigen.engine.schedule.Scheduler#timesteps()}:
 *
 * <pre>{@code
 * Scheduler scheduler = Schedulers.create(name, modelFolderSchedulerConfig, steps); // name null: the model's own
 * double[] timesteps = scheduler.timesteps();
 * int begin = 0;                                   // img2img: begin = tStart * scheduler.order()
 * NDArray latents = noise.randn(shape, manager).mul(scheduler.initNoiseSigma());
 * // img2img instead: latents = scheduler.addNoise(initLatents, noise.randn(shape, manager), begin);
 * for (int i = begin; i < timesteps.length; i++) {
 *     NDArray input = scheduler.scaleModelInput(latents, i);   // may be latents itself
 *     NDArray modelOutput = unet(input, timesteps[i], ...);     // plus guidance
 *     NDArray next = scheduler.step(modelOutput, i, latents, noise);
 *     // close input (if not latents), modelOutput and latents as the loop sees fit: the scheduler
 *     // keeps copies of whatever it needs later
 *     latents = next;
 * }
 * }</pre>
 *
 * <p>A scheduler holds one job's history, so it is made per job and used by one thread. Classes:
 * {@code DDIMScheduler}, {@code PNDMScheduler}, {@code DDPMScheduler} (ᾱ-based, {@code
 * AlphaScheduler}); {@code EulerDiscreteScheduler}, {@code EulerAncestralDiscreteScheduler},
 * {@code LMSDiscreteScheduler}, {@code HeunDiscreteScheduler} (sigma-based, {@code
 * SigmaScheduler}); {@code DPMSolverMultistepScheduler}, {@code UniPCMultistepScheduler} ({@code
 * MultistepScheduler}). Shared machinery: {@link io.fijigen.engine.schedule.NoiseSchedule} (betas,
 * ᾱ, sigma table), {@link io.fijigen.engine.schedule.TimestepSpacing}, {@code SigmaSchedule}
 * (interpolation, Karras sigmas, sigma → t), {@code History} (kept arrays), {@code StepScope}
 * (per-step memory). The names a job may ask for, and each one's class and settings: {@link
 * io.fijigen.engine.schedule.SchedulerKind}.
 */
package io.fijigen.engine.schedule;
