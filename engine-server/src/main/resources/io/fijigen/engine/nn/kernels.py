class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def split_heads(self: __torch__.Kernels, x: Tensor, heads: int, upcast: bool) -> Tensor:
    b = torch.size(x, 0)
    s = torch.size(x, 1)
    d = torch.floordiv(torch.size(x, 2), heads)
    if upcast:
      x = torch.to(x, 6)
    return torch.transpose(torch.reshape(x, [b, s, heads, d]), 1, 2)
  def merge_heads(self: __torch__.Kernels, x: Tensor, dtype: int) -> Tensor:
    b = torch.size(x, 0)
    n = torch.size(x, 2)
    inner = torch.mul(torch.size(x, 1), torch.size(x, 3))
    return torch.to(torch.reshape(torch.transpose(x, 1, 2), [b, n, inner]), dtype)
  def attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int, upcast: bool) -> Tensor:
    out = torch.scaled_dot_product_attention((self).split_heads(q, heads, upcast), (self).split_heads(k, heads, upcast), (self).split_heads(v, heads, upcast))
    return (self).merge_heads(out, ops.prim.dtype(q))
  def masked_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int, upcast: bool, mask: Tensor) -> Tensor:
    query = (self).split_heads(q, heads, upcast)
    out = torch.scaled_dot_product_attention(query, (self).split_heads(k, heads, upcast), (self).split_heads(v, heads, upcast), torch.to(mask, ops.prim.dtype(query)))
    return (self).merge_heads(out, ops.prim.dtype(q))
  def group_norm(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.group_norm(x, groups, weight, bias, eps)
  def group_norm_silu(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.silu((self).group_norm(x, groups, weight, bias, eps))
  def geglu(self: __torch__.Kernels, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    parts = torch.chunk(torch.linear(x, weight, bias), 2, -1)
    return torch.mul(parts[0], torch.gelu(parts[1]))
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
  def time_embedding(self: __torch__.Kernels, t: Tensor, freqs: Tensor, w: List[Tensor], flip: bool) -> Tensor:
    args = torch.mul(torch.unsqueeze(torch.to(t, 6), 1), freqs)
    if flip:
      emb = torch.cat([torch.cos(args), torch.sin(args)], 1)
    else:
      emb = torch.cat([torch.sin(args), torch.cos(args)], 1)
    h = torch.silu(torch.linear(torch.to(emb, ops.prim.dtype(w[0])), w[0], w[1]))
    return torch.linear(h, w[2], w[3])
  def heads_attention(self: __torch__.Kernels, x: Tensor, context: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, wo: Tensor, bo: Tensor, heads: int, upcast: bool) -> Tensor:
    q = torch.linear(x, wq)
    k = torch.linear(context, wk)
    v = torch.linear(context, wv)
    return torch.linear((self).attention(q, k, v, heads, upcast), wo, bo)
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
