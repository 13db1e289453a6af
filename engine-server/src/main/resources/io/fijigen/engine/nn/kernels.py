class Kernels(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int) -> Tensor:
    dtype = ops.prim.dtype(q)
    b = torch.size(q, 0)
    n = torch.size(q, 1)
    inner = torch.size(q, 2)
    m = torch.size(k, 1)
    d = torch.floordiv(inner, heads)
    qh = torch.transpose(torch.reshape(torch.to(q, 6), [b, n, heads, d]), 1, 2)
    kh = torch.transpose(torch.reshape(torch.to(k, 6), [b, m, heads, d]), 1, 2)
    vh = torch.transpose(torch.reshape(torch.to(v, 6), [b, m, heads, d]), 1, 2)
    out = torch.scaled_dot_product_attention(qh, kh, vh)
    return torch.to(torch.reshape(torch.transpose(out, 1, 2), [b, n, inner]), dtype)
  def masked_attention(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor, heads: int, mask: Tensor) -> Tensor:
    dtype = ops.prim.dtype(q)
    b = torch.size(q, 0)
    n = torch.size(q, 1)
    inner = torch.size(q, 2)
    m = torch.size(k, 1)
    d = torch.floordiv(inner, heads)
    qh = torch.transpose(torch.reshape(torch.to(q, 6), [b, n, heads, d]), 1, 2)
    kh = torch.transpose(torch.reshape(torch.to(k, 6), [b, m, heads, d]), 1, 2)
    vh = torch.transpose(torch.reshape(torch.to(v, 6), [b, m, heads, d]), 1, 2)
    out = torch.scaled_dot_product_attention(qh, kh, vh, torch.to(mask, 6))
    return torch.to(torch.reshape(torch.transpose(out, 1, 2), [b, n, inner]), dtype)
  def group_norm(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.group_norm(x, groups, weight, bias, eps)
  def group_norm_silu(self: __torch__.Kernels, x: Tensor, groups: int, weight: Tensor, bias: Tensor, eps: float) -> Tensor:
    return torch.silu(torch.group_norm(x, groups, weight, bias, eps))
  def geglu(self: __torch__.Kernels, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    parts = torch.chunk(torch.linear(x, weight, bias), 2, -1)
    return torch.mul(parts[0], torch.gelu(parts[1]))
