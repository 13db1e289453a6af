# The source of the engine's TorchScript kernel module. TorchScriptKernels stores it as
# code/__torch__.py in an archive it writes at start-up and loads through DJL; no Python runs it.
# Java calls a method by name with positional arguments, so the order is a contract: the comment
# above each method gives it as the Java side builds it and names the Java method that does.
# Change both sides together. TorchScriptKernelsTest checks the single kernels against plain ops,
# the *ParityTest classes the block kernels inside whole networks; a script that does not compile
# makes the engine fall back to plain ops with a warning, which
# TorchScriptKernelsTest.theModuleLoadsHere catches.
class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  # Only called here (attention, masked_attention): [B, S, heads*D] -> [B, heads, S, D], in float32
  # (dtype 6) with upcast.
  def split_heads(self: __torch__.Kernels, x: Tensor, heads: int, upcast: bool) -> Tensor:
    b = torch.size(x, 0)
    s = torch.size(x, 1)
    d = torch.floordiv(torch.size(x, 2), heads)
    if upcast:
      x = torch.to(x, 6)
    return torch.transpose(torch.reshape(x, [b, s, heads, d]), 1, 2)
  # Only called here: [B, heads, S, D] -> [B, S, heads*D] in dtype, the input's type.
  def merge_heads(self: __torch__.Kernels, x: Tensor, dtype: int) -> Tensor:
    b = torch.size(x, 0)
    n = torch.size(x, 2)
    inner = torch.mul(torch.size(x, 1), torch.size(x, 3))
    return torch.to(torch.reshape(torch.transpose(x, 1, 2), [b, n, inner]), dtype)
  # From Java: TorchScriptKernels.attention with a null mask (Ops.attention; Attention.forward, and
  # CLIPAttention.forward in the vision tower). Arguments in order: q [B, Sq, heads*D],
  # k [B, Sk, heads*D], v [B, Sk, heads*D], heads (long), upcast (boolean).
  def attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int, upcast: bool) -> Tensor:
    out = torch.scaled_dot_product_attention((self).split_heads(q, heads, upcast), (self).split_heads(k, heads, upcast), (self).split_heads(v, heads, upcast))
    return (self).merge_heads(out, ops.prim.dtype(q))
  # From Java: TorchScriptKernels.attention with a mask (Ops.attention; CLIPAttention.forward in the
  # text tower, causal mask). Arguments in order: q, k, v as in attention, heads (long),
  # upcast (boolean), then mask (additive, broadcast to [B, heads, Sq, Sk]).
  def masked_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int, upcast: bool, mask: Tensor) -> Tensor:
    query = (self).split_heads(q, heads, upcast)
    out = torch.scaled_dot_product_attention(query, (self).split_heads(k, heads, upcast), (self).split_heads(v, heads, upcast), torch.to(mask, ops.prim.dtype(query)))
    return (self).merge_heads(out, ops.prim.dtype(q))
  # From Java: TorchScriptKernels.groupNorm with silu false (Ops.groupNorm; GroupNorm.forward).
  # Arguments in order: x [N, C, ...], groups (long), weight [C], bias [C], eps (double).
  # Also called here by group_norm_silu.
  def group_norm(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.group_norm(x, groups, weight, bias, eps)
  # From Java: TorchScriptKernels.groupNorm with silu true (Ops.groupNormSilu; GroupNorm.forwardSilu).
  # Arguments in the order of group_norm: x, groups, weight, bias, eps. Also called here by resnet.
  def group_norm_silu(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.silu((self).group_norm(x, groups, weight, bias, eps))
  # From Java: TorchScriptKernels.geglu, only when the projection has a bias (Ops.geglu;
  # Linear.geglu from FeedForward.forward). Arguments in order: x [.., in], weight [2*out, in],
  # bias [2*out]. Also called here by transformer_2d.
  def geglu(self: __torch__.Kernels, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    parts = torch.chunk(torch.linear(x, weight, bias), 2, -1)
    return torch.mul(parts[0], torch.gelu(parts[1]))
  # From Java: TorchScriptKernels.resnet, called by ResnetBlock2D.forward when the block is fusable
  # (3x3 convolutions padded 1, a 1x1 shortcut, one group-norm setting: fixed here, not passed).
  # Arguments in order:
  #   x [B, C, H, W];
  #   temb [B, time_embed_dim], or x again when there is none (the VAE; unused then, see flags[1]);
  #   w, appended by ResnetBlock2D.forward, each layer's weight then bias (GroupNorm.appendTo,
  #     Conv2d.appendTo, Linear.appendTo): norm1, conv1, time_emb_proj (only when temb is given),
  #     norm2, conv2, conv_shortcut (only when the block has one);
  #   flags = [groups, 1 if temb is given else 0, 1 if conv_shortcut else 0];
  #   reals = [eps, output_scale_factor].
  def resnet(self: __torch__.Kernels, x: Tensor, temb: Tensor, w: List[Tensor], flags: List[int], reals: List[float]) -> Tensor:
    groups = flags[0]
    eps = reals[0]
    h = (self).group_norm_silu(x, groups, w[0], w[1], eps)
    h = torch.conv2d(h, w[2], w[3], [1, 1], [1, 1], [1, 1], 1)
    i = 4
    if torch.eq(flags[1], 1):
      t = torch.linear(torch.silu(temb), w[4], w[5])
      h = torch.add(h, torch.unsqueeze(torch.unsqueeze(t, 2), 3))
      i = 6
    h = (self).group_norm_silu(h, groups, w[i], w[torch.add(i, 1)], eps)
    h = torch.conv2d(h, w[torch.add(i, 2)], w[torch.add(i, 3)], [1, 1], [1, 1], [1, 1], 1)
    shortcut = x
    if torch.eq(flags[2], 1):
      shortcut = torch.conv2d(x, w[torch.add(i, 4)], w[torch.add(i, 5)], [1, 1], [0, 0], [1, 1], 1)
    out = torch.add(shortcut, h)
    if torch.ne(reals[1], 1.):
      out = torch.div(out, reals[1])
    return out
  # From Java: TorchScriptKernels.timeEmbedding, called by DownPath.embed (UNet and ControlNet) when
  # Timesteps and TimestepEmbedding are fusable (an even dimension, biased linears).
  # Arguments in order: t, the timesteps [B]; freqs [1, dim/2] float32 (Timesteps.frequencies);
  # w, appended by TimestepEmbedding.appendTo: linear_1 weight, bias, linear_2 weight, bias;
  # flip (Timesteps.flipSinToCos, the config's flip_sin_to_cos).
  def time_embedding(self: __torch__.Kernels, t: Tensor, freqs: Tensor, w: List[Tensor], flip: bool) -> Tensor:
    args = torch.mul(torch.unsqueeze(torch.to(t, 6), 1), freqs)
    if flip:
      emb = torch.cat([torch.cos(args), torch.sin(args)], 1)
    else:
      emb = torch.cat([torch.sin(args), torch.cos(args)], 1)
    h = torch.silu(torch.linear(torch.to(emb, ops.prim.dtype(w[0])), w[0], w[1]))
    return torch.linear(h, w[2], w[3])
  # Only called here, by transformer_2d: one Attention of a BasicTransformerBlock, its tensors in the
  # order Attention.appendTo appends them: to_q, to_k, to_v weights (unbiased), to_out.0 weight, bias.
  def heads_attention(self: __torch__.Kernels, x: Tensor, context: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, wo: Tensor, bo: Tensor, heads: int, upcast: bool) -> Tensor:
    q = torch.linear(x, wq)
    k = torch.linear(context, wk)
    v = torch.linear(context, wv)
    return torch.linear((self).attention(q, k, v, heads, upcast), wo, bo)
  # From Java: TorchScriptKernels.transformer2d, called by Transformer2DModel.forward when the model
  # is fusable (diffusers' default blocks, biased projections). Arguments in order:
  #   x [B, C, H, W]; context, the text [B, S, cross_attention_dim];
  #   w, appended by Transformer2DModel.forward, each layer's weight then bias:
  #     norm; proj_in (a 1x1 conv, or a linear layer with use_linear_projection);
  #     per block, the 20 tensors of BasicTransformerBlock.appendTo: norm1 (2), attn1 (5, see
  #       heads_attention), norm2 (2), attn2 (5), norm3 (2), ff's net.0.proj (2) and net.2 (2)
  #       (FeedForward.appendTo);
  #     proj_out, as proj_in;
  #   flags = [groups, heads, layers (blocks), 1 if use_linear_projection, 1 if only_cross_attention,
  #     1 if upcast_attention].
  # Not passed, so kept equal by hand: the group norm's eps 1e-6 (Transformer2DModel.NORM_EPS) and
  # the layer norms' 1e-5 (BasicTransformerBlock.NORM_EPS).
  def transformer_2d(self: __torch__.Kernels, x: Tensor, context: Tensor, w: List[Tensor], flags: List[int]) -> Tensor:
    groups = flags[0]
    heads = flags[1]
    layers = flags[2]
    linear = torch.eq(flags[3], 1)
    only_cross = torch.eq(flags[4], 1)
    upcast = torch.eq(flags[5], 1)
    b = torch.size(x, 0)
    height = torch.size(x, 2)
    width = torch.size(x, 3)
    h = torch.group_norm(x, groups, w[0], w[1], 9.9999999999999995e-07)
    if torch.__not__(linear):
      h = torch.conv2d(h, w[2], w[3], [1, 1], [0, 0], [1, 1], 1)
    inner = torch.size(h, 1)
    h = torch.reshape(torch.permute(h, [0, 2, 3, 1]), [b, torch.mul(height, width), inner])
    if linear:
      h = torch.linear(h, w[2], w[3])
    i = 4
    for _0 in range(layers):
      n = torch.layer_norm(h, [inner], w[i], w[torch.add(i, 1)], 1.0000000000000001e-05)
      kv = n
      if only_cross:
        kv = context
      h = torch.add((self).heads_attention(n, kv, w[torch.add(i, 2)], w[torch.add(i, 3)], w[torch.add(i, 4)], w[torch.add(i, 5)], w[torch.add(i, 6)], heads, upcast), h)
      n = torch.layer_norm(h, [inner], w[torch.add(i, 7)], w[torch.add(i, 8)], 1.0000000000000001e-05)
      h = torch.add((self).heads_attention(n, context, w[torch.add(i, 9)], w[torch.add(i, 10)], w[torch.add(i, 11)], w[torch.add(i, 12)], w[torch.add(i, 13)], heads, upcast), h)
      n = torch.layer_norm(h, [inner], w[torch.add(i, 14)], w[torch.add(i, 15)], 1.0000000000000001e-05)
      f = (self).geglu(n, w[torch.add(i, 16)], w[torch.add(i, 17)])
      h = torch.add(torch.linear(f, w[torch.add(i, 18)], w[torch.add(i, 19)]), h)
      i = torch.add(i, 20)
    if linear:
      h = torch.linear(h, w[i], w[torch.add(i, 1)])
    h = torch.contiguous(torch.permute(torch.reshape(h, [b, height, width, inner]), [0, 3, 1, 2]))
    if torch.__not__(linear):
      h = torch.conv2d(h, w[i], w[torch.add(i, 1)], [1, 1], [0, 0], [1, 1], 1)
    return torch.add(h, x)
