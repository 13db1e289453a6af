/**
 * Tensors on the Java side, the engine's bottom layer: every other package may use it, it uses
 * none of them. {@link io.fijigen.engine.tensor.HostTensor} (float32 values and a shape) is what
 * crosses the engine's boundary, init images, masks, given latents and result images, so requests
 * and results never hold an NDArray whose manager may close; {@link
 * io.fijigen.engine.tensor.ImageShape} checks an NCHW shape once and names its sizes as users give
 * them (width×height); {@link io.fijigen.engine.tensor.Layouts} moves between the pipelines' NHWC
 * images and the NCHW planes masks and compositing work in.
 *
 * <p>Only layout and shape belong here; image operations (resizing, masks, PNG) go in {@code image}.
 */
package io.fijigen.engine.tensor;
