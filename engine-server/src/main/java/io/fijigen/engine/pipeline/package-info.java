/**
 * The diffusion pipelines, in the reference's order: check the request, encode the prompt, prepare
 * the latents, denoise, decode. The CLI, the server and the bench call two entry points: {@link
 * io.fijigen.engine.pipeline.Pipelines#generate} for a {@link io.fijigen.engine.pipeline.GenerationRequest}
 * (txt2img, img2img or inpainting by what the request holds, with its ControlNet units; the safety
 * check after) and {@link io.fijigen.engine.pipeline.Upscale#generate} for an {@link
 * io.fijigen.engine.pipeline.UpscaleRequest}. Requests and results hold {@code HostTensor}s, never
 * NDArrays, so they outlive every job's manager. Beside the loop: {@code PromptEncoder} (long and
 * weighted prompts) and {@code SdxlPromptEncoder} (SDXL's two encoders and pooled embedding), both
 * over {@code PromptChunks}, {@code TextualInversions}, {@code SafetyChecker}, {@code JobMemory} (a job's
 * device memory, estimated before it runs), {@code ImagePreprocessor} (images into and out of the VAE).
 *
 * <p>Every pipeline shares one loop, in three parts:
 * <ul>
 *   <li>{@code DiffusionJob}: what each job does around its own latents. {@code start} checks the
 *       request with {@link io.fijigen.engine.pipeline.RequestLimits} (every limit before any work; a
 *       failure is an {@link io.fijigen.engine.pipeline.InvalidRequestException} naming the field),
 *       merges the request's LoRAs, seeds the job's {@code JobNoise}, makes the scheduler and encodes
 *       the prompt; {@code denoise} runs the loop, {@code finish} decodes and logs the job.
 *   <li>{@link io.fijigen.engine.pipeline.DenoisingLoop}: per timestep, the UNet on both guidance
 *       halves, guidance, the scheduler's step, each step's arrays in a manager of its own; the {@link
 *       io.fijigen.engine.pipeline.StepListener} hears every step and may cancel.
 *   <li>{@link io.fijigen.engine.pipeline.StepStrategy}: what a pipeline adds to a step, the only place
 *       pipelines differ: the UNet input (9-channel inpainting appends mask and masked latents), class
 *       labels (the upscaler's noise level), residuals (ControlNet), a blend after the step (4-channel
 *       inpainting). Strategies combine with {@code and}: {@code DiffusionJob.denoise} adds {@code
 *       ControlNetGuidance} to any pipeline whose request has ControlNet units.
 * </ul>
 *
 * <p>A new mode is a class named after its reference pipeline, as {@link
 * io.fijigen.engine.pipeline.Txt2Img}, {@link io.fijigen.engine.pipeline.Img2Img} and {@link
 * io.fijigen.engine.pipeline.Inpaint} are: a static {@code generate(StableDiffusion, request,
 * StepListener)} that opens {@code DiffusionJob.start(...)} in a try-with-resources, prepares its
 * latents (drawing from {@code job.noise()} in the reference's order, so seeds match diffusers),
 * and returns {@code job.finish(job.denoise(latents, startIndex, strategy, listener), listener)} with its own
 * {@code StepStrategy}. Never a copy of the loop: what the strategy cannot yet say becomes a default
 * method of {@code StepStrategy} that changes nothing, used once in {@code DenoisingLoop}. Request
 * fields go in {@code GenerationRequest} (and its builder), checked in {@code RequestLimits} against
 * {@link io.fijigen.engine.pipeline.RequestField}, the one table of request defaults and limits that
 * the server's translator, the command line and {@code engine.proto}'s comments share; {@code
 * Pipelines.generate} chooses the mode from what the request holds.
 */
package io.fijigen.engine.pipeline;
