/**
 * The networks, one class per diffusers (or transformers) module under its name: {@link
 * io.fijigen.engine.nn.UNet2DConditionModel}, {@link io.fijigen.engine.nn.AutoencoderKL}, {@link
 * io.fijigen.engine.nn.ControlNetModel}, {@link io.fijigen.engine.nn.CLIPTextModel}, {@link
 * io.fijigen.engine.nn.CLIPTextModelWithProjection}, {@code StableDiffusionSafetyChecker} and their
 * blocks ({@code ResnetBlock2D}, {@code Transformer2DModel}, …). Nothing here opens files or sees a
 * request: {@code model} builds the networks, {@code pipeline} runs them.
 *
 * <p>A new block follows {@link io.fijigen.engine.nn.ResnetBlock2D}:
 * <ul>
 *   <li>the diffusers class name; a constructor taking the block's config values and a {@link
 *       io.fijigen.engine.weights.StateDict} scoped to its key prefix, each layer taking {@code
 *       weights.scope("norm1")} and the like, so every key is diffusers' own (an optional layer is
 *       asked for with {@code weights.has}). UNet blocks take their values as one {@link
 *       io.fijigen.engine.nn.BlockSettings}, resolved per level by {@code DownPath.settings} as
 *       diffusers' {@code get_down_block} does.
 *   <li>layers from the small wrappers ({@code Linear}, {@code Conv2d}, {@code GroupNorm}, {@code
 *       LayerNorm}, {@code Attention}); {@code Linear} and {@code Conv2d} hold their weight as a {@code
 *       Parameter}, which LoRAs merge into.
 *   <li>{@code forward(...)} reading as the reference's, in {@link io.fijigen.engine.nn.Ops#scoped} so
 *       intermediates are freed on return; convolution, linear, norms, activations and attention
 *       through {@link io.fijigen.engine.nn.Ops}, the activation as first argument (a result joins
 *       the manager of the first array argument).
 *   <li>a parity test per fixture case ({@code *ParityTest}), which Maven runs on both kernel paths.
 * </ul>
 *
 * <p>{@link io.fijigen.engine.nn.KernelPath} selects TorchScript kernels (the default) or plain DJL
 * ops ({@code --kernels}, {@code fijigen.kernels}, {@code FIJIGEN_KERNELS}; plain also when the module
 * fails to load). On the TorchScript path {@code Ops.attention}, {@code groupNorm}, {@code
 * groupNormSilu} and {@code geglu} call {@code TorchScriptKernels}, whose methods are in the resource
 * {@code kernels.py} beside these classes; the plain ops are the reference they are tested against
 * ({@code TorchScriptKernelsTest}). Whole blocks run as one call in three places, {@code
 * ResnetBlock2D.forward}, {@code Transformer2DModel.forward} and {@code DownPath.embed}: when their
 * layers have the layout the kernel hard-codes ({@code fusable}) they append their weights with {@code
 * appendTo} in the order {@code kernels.py} states, else they run op by op. A new block needs no
 * kernel. A new kernel is a method in {@code kernels.py} with its argument order above it, the {@code
 * TorchScriptKernels} method that builds those arguments, the plain equivalent in {@code Ops}, and a
 * test in {@code TorchScriptKernelsTest}.
 */
package io.fijigen.engine.nn;
