/**
 * Models on disk becoming networks on a device. Two sources, one result:
 * <ul>
 *   <li>{@link io.fijigen.engine.model.ModelFolder}: a diffusers folder ({@code model_index.json},
 *       one subfolder per component). Each component is its {@code config.json} read into a {@code
 *       config} record, its safetensors opened with {@code StateDict.openComponent}, and the {@code
 *       nn} class built from both ({@code textEncoder}, {@code unet}, {@code vae}; {@code
 *       loadControlNet}, {@code loadSafetyChecker} for folders of their own).
 *   <li>{@link io.fijigen.engine.model.SingleFileCheckpoint}: one LDM-layout {@code .safetensors}
 *       (SDXL's in the SGM layout). {@code LdmLayout} tells SD 1.x, 2.x, SDXL or a ControlNet from
 *       the keys; each network is a renamed view of the file's tensors ({@code UNetKeyMap}, {@code
 *       VaeKeyMap}, {@code ClipKeyMap}, {@code OpenClipKeyMap}, {@code ControlNetKeyMap} in {@code
 *       weights.ldm}), its config inferred from the shapes and the sidecar yaml ({@code
 *       LdmConfigInference}); the same {@code nn} constructors build the networks.
 * </ul>
 *
 * <p>{@link io.fijigen.engine.model.StableDiffusion#load} takes either and holds what a pipeline needs:
 * tokenizer, text encoder (SDXL: and {@code tokenizer_2}, {@code text_encoder_2}), UNet, VAE, the
 * scheduler config (and the x4 upscaler's low-res one), all weights in one manager on one device, and
 * the LoRAs merged into them for the current job; its {@link io.fijigen.engine.model.ModelFamily} says
 * which of SD 1.x/2.x or SDXL it is, and so the largest clip skip a request may ask. Its {@link
 * io.fijigen.engine.model.VaeDecoder} is the decode pipelines use: large images in tiles ({@code
 * VaeTiling} decides, {@code Tiling} runs them), an fp16 decode that overflows redone in float32, or
 * every one with SDXL's {@code force_upcast}; its {@link io.fijigen.engine.model.VaeEncoder} the
 * encode, in float32 with SDXL's {@code force_upcast}. Both share one float32 copy of the VAE
 * ({@code Float32Vae}), loaded on first need.
 * {@code ModelSummary} says what a path holds, for {@code fijigen models} and the server's catalogue.
 *
 * <p>A new model family: its config record in {@code config} (unsupported options refused by name),
 * its networks in {@code nn}, and its loading here. A family with Stable Diffusion's components
 * (SD 1.x, 2.x, inpainting and the x4 upscaler all are) needs only what differs in its configs; one
 * with more components (SDXL's second tokenizer and text encoder) gets a {@code ModelFamily} value
 * listing them (checked before any weights load), a loader method per new component on {@code
 * ModelFolder}, and accessors on {@code StableDiffusion}, null for the other families, so that the
 * pipelines stay shared.
 * Its single-file form needs a {@code LdmLayout} value, key maps and config inference in {@code
 * weights.ldm}, and the matching methods on {@code SingleFileCheckpoint}.
 */
package io.fijigen.engine.model;
