#!/usr/bin/env python3
"""Development-time generator of the single-file key-mapping test data (not run by tests or at run time).

Enumerates the tensors (key and shape) of the original LDM checkpoints -- Stable Diffusion 1.5
(v1-5-pruned: UNet, VAE, CLIP ViT-L/14 text encoder), 2.1 (OpenCLIP ViT-H/14 text encoder, linear
transformer projections) and the SD 1.5 canny ControlNet (control_v11p) -- from their published
architectures, then runs them through the reference's own conversion functions
(convert_ldm_unet_checkpoint, convert_ldm_vae_checkpoint, convert_ldm_clip_checkpoint,
convert_open_clip_checkpoint, convert_controlnet_checkpoint), taken from diffusers'
src/diffusers/loaders/single_file_utils.py at run time of this script, with shape-only stand-in
tensors (no torch needed).

Usage: generate_key_lists.py PATH/TO/single_file_utils.py OUTPUT_DIR

Writes OUTPUT_DIR/{sd15,sd21,controlnet_sd15}.tsv.gz, one line per mapping:
    ldm_key <TAB> ldm_shape <TAB> diffusers_key <TAB> diffusers_shape
Shapes are comma-separated ("" for a scalar). A tensor the reference drops has diffusers_key "-";
one it splits (OpenCLIP in_proj) has a line per part.
"""
import ast
import gzip
import sys
from pathlib import Path

WANTED_FUNCTIONS = {
    "conv_attn_to_linear", "update_unet_resnet_ldm_to_diffusers", "update_unet_attention_ldm_to_diffusers",
    "update_vae_resnet_ldm_to_diffusers", "update_vae_attentions_ldm_to_diffusers",
    "convert_ldm_unet_checkpoint", "convert_ldm_vae_checkpoint", "convert_ldm_clip_checkpoint",
    "convert_open_clip_checkpoint", "convert_controlnet_checkpoint",
}
WANTED_CONSTANTS = {
    "DIFFUSERS_TO_LDM_MAPPING", "SD_2_TEXT_ENCODER_KEYS_TO_IGNORE", "LDM_VAE_KEYS", "LDM_UNET_KEY",
    "LDM_CONTROLNET_KEY", "LDM_CLIP_PREFIX_TO_REMOVE", "LDM_OPEN_CLIP_TEXT_PROJECTION_DIM",
}


class Shape:
    """A tensor reduced to its shape and its source key: what indexing, .T and the copies do to it."""

    def __init__(self, shape, source):
        self.shape = tuple(shape)
        self.source = source

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def T(self):
        return Shape(tuple(reversed(self.shape)), self.source)

    def contiguous(self):
        return self

    def clone(self):
        return self

    def detach(self):
        return self

    def __getitem__(self, index):
        index = index if isinstance(index, tuple) else (index,)
        shape = []
        for i, dim in enumerate(self.shape):
            part = index[i] if i < len(index) else slice(None)
            if isinstance(part, slice):
                shape.append(len(range(*part.indices(dim))))
            # an integer index drops the dimension
        return Shape(shape, self.source)


class Logger:
    def warning(self, *args, **kwargs):
        pass


def reference_functions(path):
    tree = ast.parse(Path(path).read_text())
    body = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in WANTED_FUNCTIONS:
            body.append(node)
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in WANTED_CONSTANTS for t in node.targets):
            body.append(node)
    namespace = {"logger": Logger(), "deprecate": lambda *a, **k: None}
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), namespace)
    missing = (WANTED_FUNCTIONS | WANTED_CONSTANTS) - namespace.keys()
    if missing:
        sys.exit(f"{path} lacks {sorted(missing)}")
    return namespace


# --- the original checkpoints' tensors (ldm.modules.diffusionmodules.openaimodel, .model, cldm) ---

def unet_tensors(prefix, context, linear, hint=False, mc=320, mult=(1, 2, 4, 4), nres=2, attention=(0, 1, 2)):
    t = {}
    emb = mc * 4

    def res(p, cin, cout):
        t[p + ".in_layers.0.weight"] = (cin,); t[p + ".in_layers.0.bias"] = (cin,)
        t[p + ".in_layers.2.weight"] = (cout, cin, 3, 3); t[p + ".in_layers.2.bias"] = (cout,)
        t[p + ".emb_layers.1.weight"] = (cout, emb); t[p + ".emb_layers.1.bias"] = (cout,)
        t[p + ".out_layers.0.weight"] = (cout,); t[p + ".out_layers.0.bias"] = (cout,)
        t[p + ".out_layers.3.weight"] = (cout, cout, 3, 3); t[p + ".out_layers.3.bias"] = (cout,)
        if cin != cout:
            t[p + ".skip_connection.weight"] = (cout, cin, 1, 1); t[p + ".skip_connection.bias"] = (cout,)

    def transformer(p, c):
        proj = (c, c) if linear else (c, c, 1, 1)
        t[p + ".norm.weight"] = (c,); t[p + ".norm.bias"] = (c,)
        t[p + ".proj_in.weight"] = proj; t[p + ".proj_in.bias"] = (c,)
        b = p + ".transformer_blocks.0."
        for attn, kv in (("attn1", c), ("attn2", context)):
            t[b + attn + ".to_q.weight"] = (c, c)
            t[b + attn + ".to_k.weight"] = (c, kv)
            t[b + attn + ".to_v.weight"] = (c, kv)
            t[b + attn + ".to_out.0.weight"] = (c, c); t[b + attn + ".to_out.0.bias"] = (c,)
        t[b + "ff.net.0.proj.weight"] = (8 * c, c); t[b + "ff.net.0.proj.bias"] = (8 * c,)
        t[b + "ff.net.2.weight"] = (c, 4 * c); t[b + "ff.net.2.bias"] = (c,)
        for n in ("norm1", "norm2", "norm3"):
            t[b + n + ".weight"] = (c,); t[b + n + ".bias"] = (c,)
        t[p + ".proj_out.weight"] = proj; t[p + ".proj_out.bias"] = (c,)

    def zero_conv(index, c):
        if hint:
            t[f"zero_convs.{index}.0.weight"] = (c, c, 1, 1); t[f"zero_convs.{index}.0.bias"] = (c,)

    t["time_embed.0.weight"] = (emb, mc); t["time_embed.0.bias"] = (emb,)
    t["time_embed.2.weight"] = (emb, emb); t["time_embed.2.bias"] = (emb,)
    if hint:
        hint_channels = [(16, 3), (16, 16), (32, 16), (32, 32), (96, 32), (96, 96), (256, 96), (mc, 256)]
        for i, (cout, cin) in enumerate(hint_channels):
            t[f"input_hint_block.{2 * i}.weight"] = (cout, cin, 3, 3); t[f"input_hint_block.{2 * i}.bias"] = (cout,)
    t["input_blocks.0.0.weight"] = (mc, 4, 3, 3); t["input_blocks.0.0.bias"] = (mc,)
    zero_conv(0, mc)
    skips, ch, index = [mc], mc, 1
    for level, m in enumerate(mult):
        for _ in range(nres):
            res(f"input_blocks.{index}.0", ch, m * mc)
            ch = m * mc
            if level in attention:
                transformer(f"input_blocks.{index}.1", ch)
            zero_conv(index, ch)
            skips.append(ch)
            index += 1
        if level != len(mult) - 1:
            t[f"input_blocks.{index}.0.op.weight"] = (ch, ch, 3, 3); t[f"input_blocks.{index}.0.op.bias"] = (ch,)
            zero_conv(index, ch)
            skips.append(ch)
            index += 1
    res("middle_block.0", ch, ch); transformer("middle_block.1", ch); res("middle_block.2", ch, ch)
    if hint:
        t["middle_block_out.0.weight"] = (ch, ch, 1, 1); t["middle_block_out.0.bias"] = (ch,)
        return {prefix + k: v for k, v in t.items()}
    index = 0
    for level, m in reversed(list(enumerate(mult))):
        for i in range(nres + 1):
            res(f"output_blocks.{index}.0", ch + skips.pop(), m * mc)
            ch = m * mc
            if level in attention:
                transformer(f"output_blocks.{index}.1", ch)
            if level and i == nres:
                up = f"output_blocks.{index}.{2 if level in attention else 1}.conv"
                t[up + ".weight"] = (ch, ch, 3, 3); t[up + ".bias"] = (ch,)
            index += 1
    t["out.0.weight"] = (mc,); t["out.0.bias"] = (mc,)
    t["out.2.weight"] = (4, mc, 3, 3); t["out.2.bias"] = (4,)
    return {prefix + k: v for k, v in t.items()}


def vae_tensors(prefix, ch=128, mult=(1, 2, 4, 4), nres=2, z=4):
    t = {}

    def res(p, cin, cout):
        t[p + ".norm1.weight"] = (cin,); t[p + ".norm1.bias"] = (cin,)
        t[p + ".conv1.weight"] = (cout, cin, 3, 3); t[p + ".conv1.bias"] = (cout,)
        t[p + ".norm2.weight"] = (cout,); t[p + ".norm2.bias"] = (cout,)
        t[p + ".conv2.weight"] = (cout, cout, 3, 3); t[p + ".conv2.bias"] = (cout,)
        if cin != cout:
            t[p + ".nin_shortcut.weight"] = (cout, cin, 1, 1); t[p + ".nin_shortcut.bias"] = (cout,)

    def mid(p, c):
        res(p + ".block_1", c, c)
        t[p + ".attn_1.norm.weight"] = (c,); t[p + ".attn_1.norm.bias"] = (c,)
        for n in ("q", "k", "v", "proj_out"):
            t[p + f".attn_1.{n}.weight"] = (c, c, 1, 1); t[p + f".attn_1.{n}.bias"] = (c,)
        res(p + ".block_2", c, c)

    t["encoder.conv_in.weight"] = (ch, 3, 3, 3); t["encoder.conv_in.bias"] = (ch,)
    c = ch
    for i, m in enumerate(mult):
        for j in range(nres):
            res(f"encoder.down.{i}.block.{j}", c, ch * m)
            c = ch * m
        if i != len(mult) - 1:
            t[f"encoder.down.{i}.downsample.conv.weight"] = (c, c, 3, 3); t[f"encoder.down.{i}.downsample.conv.bias"] = (c,)
    mid("encoder.mid", c)
    t["encoder.norm_out.weight"] = (c,); t["encoder.norm_out.bias"] = (c,)
    t["encoder.conv_out.weight"] = (2 * z, c, 3, 3); t["encoder.conv_out.bias"] = (2 * z,)
    t["decoder.conv_in.weight"] = (c, z, 3, 3); t["decoder.conv_in.bias"] = (c,)
    mid("decoder.mid", c)
    for i in reversed(range(len(mult))):
        for j in range(nres + 1):
            res(f"decoder.up.{i}.block.{j}", c, ch * mult[i])
            c = ch * mult[i]
        if i != 0:
            t[f"decoder.up.{i}.upsample.conv.weight"] = (c, c, 3, 3); t[f"decoder.up.{i}.upsample.conv.bias"] = (c,)
    t["decoder.norm_out.weight"] = (c,); t["decoder.norm_out.bias"] = (c,)
    t["decoder.conv_out.weight"] = (3, c, 3, 3); t["decoder.conv_out.bias"] = (3,)
    t["quant_conv.weight"] = (2 * z, 2 * z, 1, 1); t["quant_conv.bias"] = (2 * z,)
    t["post_quant_conv.weight"] = (z, z, 1, 1); t["post_quant_conv.bias"] = (z,)
    return {prefix + k: v for k, v in t.items()}


def clip_tensors(prefix, width=768, layers=12, vocab=49408, positions=77):
    t = {"text_model.embeddings.token_embedding.weight": (vocab, width),
         "text_model.embeddings.position_embedding.weight": (positions, width),
         "text_model.embeddings.position_ids": (1, positions)}
    for n in range(layers):
        p = f"text_model.encoder.layers.{n}."
        for proj in ("k_proj", "v_proj", "q_proj", "out_proj"):
            t[p + f"self_attn.{proj}.weight"] = (width, width); t[p + f"self_attn.{proj}.bias"] = (width,)
        for norm in ("layer_norm1", "layer_norm2"):
            t[p + norm + ".weight"] = (width,); t[p + norm + ".bias"] = (width,)
        t[p + "mlp.fc1.weight"] = (4 * width, width); t[p + "mlp.fc1.bias"] = (4 * width,)
        t[p + "mlp.fc2.weight"] = (width, 4 * width); t[p + "mlp.fc2.bias"] = (width,)
    t["text_model.final_layer_norm.weight"] = (width,); t["text_model.final_layer_norm.bias"] = (width,)
    return {prefix + k: v for k, v in t.items()}


def open_clip_tensors(prefix, width=1024, layers=24, vocab=49408, positions=77):
    t = {"positional_embedding": (positions, width), "text_projection": (width, width), "logit_scale": (),
         "token_embedding.weight": (vocab, width)}
    for n in range(layers):
        p = f"transformer.resblocks.{n}."
        t[p + "ln_1.weight"] = (width,); t[p + "ln_1.bias"] = (width,)
        t[p + "attn.in_proj_weight"] = (3 * width, width); t[p + "attn.in_proj_bias"] = (3 * width,)
        t[p + "attn.out_proj.weight"] = (width, width); t[p + "attn.out_proj.bias"] = (width,)
        t[p + "ln_2.weight"] = (width,); t[p + "ln_2.bias"] = (width,)
        t[p + "mlp.c_fc.weight"] = (4 * width, width); t[p + "mlp.c_fc.bias"] = (4 * width,)
        t[p + "mlp.c_proj.weight"] = (width, 4 * width); t[p + "mlp.c_proj.bias"] = (width,)
    t["ln_final.weight"] = (width,); t["ln_final.bias"] = (width,)
    return {prefix + k: v for k, v in t.items()}


def convert(ref, shapes, text):
    checkpoint = {k: Shape(v, k) for k, v in shapes.items()}
    converted = {}
    converted.update(ref["convert_ldm_unet_checkpoint"](checkpoint, {"layers_per_block": 2}))
    vae_config = {"down_block_types": ["DownEncoderBlock2D"] * 4, "up_block_types": ["UpDecoderBlock2D"] * 4}
    converted.update(ref["convert_ldm_vae_checkpoint"](checkpoint, vae_config))
    if text == "clip":
        converted.update(ref["convert_ldm_clip_checkpoint"](checkpoint))
    else:
        stub = type("TextModel", (), {"config": type("Config", (), {"hidden_size": 1024})()})()
        converted.update(ref["convert_open_clip_checkpoint"](stub, checkpoint))
    return checkpoint, converted


def write(path, checkpoint, converted):
    fmt = lambda shape: ",".join(str(d) for d in shape)
    by_source = {}
    for key, tensor in converted.items():
        if tensor is None:
            sys.exit(f"the reference mapped {key} to a missing tensor")
        by_source.setdefault(tensor.source, []).append((key, tensor.shape))
    lines = []
    for key, tensor in checkpoint.items():
        targets = by_source.get(key) or [("-", ())]
        for target, shape in targets:
            lines.append(f"{key}\t{fmt(tensor.shape)}\t{target}\t{fmt(shape) if target != '-' else ''}")
    with gzip.GzipFile(path, "wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())
    print(f"{path}: {len(checkpoint)} LDM tensors, {len(converted)} diffusers tensors")


def main():
    ref = reference_functions(sys.argv[1])
    out = Path(sys.argv[2])
    vae = vae_tensors("first_stage_model.")
    sd15 = {**unet_tensors("model.diffusion_model.", 768, False), **vae,
            **clip_tensors("cond_stage_model.transformer.")}
    write(out / "sd15.tsv.gz", *convert(ref, sd15, "clip"))
    sd21 = {**unet_tensors("model.diffusion_model.", 1024, True), **vae,
            **open_clip_tensors("cond_stage_model.model.")}
    write(out / "sd21.tsv.gz", *convert(ref, sd21, "openclip"))
    control = {k: Shape(v, k) for k, v in unet_tensors("control_model.", 768, False, hint=True).items()}
    write(out / "controlnet_sd15.tsv.gz", control,
          ref["convert_controlnet_checkpoint"](control, {"layers_per_block": 2}))


if __name__ == "__main__":
    main()
