package io.fijigen.engine.weights.ldm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes diffusers-layout weights as an LDM-layout single file, the inverse of the key maps, with
 * the rules of the reference's {@code convert_diffusers_to_original_stable_diffusion.py} written out
 * independently of the code under test: ResBlock layer names, block numbering (three modules a
 * level: two resnets and a downsampler), the decoder's reversed levels, 1x1 convolutions for the VAE
 * attention, OpenCLIP's fused {@code in_proj}; and of {@code convert_diffusers_to_original_sdxl.py}
 * for SDXL: the add-embedding as {@code label_emb.0}, the two text encoders as
 * {@code conditioner.embedders.0} and {@code .1}, the OpenCLIP projection stored transposed.
 */
public final class LdmCheckpointWriter {
    private static final Pattern DOWN = Pattern.compile("down_blocks\\.(\\d+)\\.(resnets|attentions)\\.(\\d+)\\.(.+)");
    private static final Pattern DOWNSAMPLER = Pattern.compile("down_blocks\\.(\\d+)\\.downsamplers\\.0\\.conv\\.(.+)");
    private static final Pattern UP = Pattern.compile("up_blocks\\.(\\d+)\\.(resnets|attentions)\\.(\\d+)\\.(.+)");
    private static final Pattern UPSAMPLER = Pattern.compile("up_blocks\\.(\\d+)\\.upsamplers\\.0\\.conv\\.(.+)");
    private static final Pattern MID = Pattern.compile("mid_block\\.(resnets|attentions)\\.(\\d+)\\.(.+)");
    private static final int LAYERS_PER_BLOCK = 2;

    private final Map<String, NDArray> tensors = new LinkedHashMap<>();

    public void write(Path file) throws IOException {
        SafetensorsWriter.write(file, tensors, Map.of());
    }

    public void unet(StateDict unet, String prefix) {
        for (String key : unet.keys()) {
            tensors.put(prefix + unetKey(key, unet), unet.get(key));
        }
    }

    public void controlNet(StateDict controlNet, String prefix) {
        int blocks = (int) controlNet.keys().stream().filter(k -> k.matches("controlnet_cond_embedding\\.blocks\\.\\d+\\.weight")).count();
        for (String key : controlNet.keys()) {
            String target;
            if (key.startsWith("controlnet_down_blocks.")) {
                String[] parts = key.split("\\.");
                target = "zero_convs." + parts[1] + ".0." + parts[2];
            } else if (key.startsWith("controlnet_mid_block.")) {
                target = key.replace("controlnet_mid_block.", "middle_block_out.0.");
            } else if (key.startsWith("controlnet_cond_embedding.")) {
                String[] parts = key.split("\\.");
                int index = switch (parts[1]) {
                    case "conv_in" -> 0;
                    case "conv_out" -> 2 * (blocks + 1);
                    default -> 2 * (Integer.parseInt(parts[2]) + 1);
                };
                target = "input_hint_block." + index + "." + parts[parts.length - 1];
            } else {
                target = unetKey(key, controlNet);
            }
            tensors.put(prefix + target, controlNet.get(key));
        }
    }

    public void vae(StateDict vae, String prefix) {
        int levels = (int) vae.keys().stream().filter(k -> k.matches("decoder\\.up_blocks\\.\\d+\\.resnets\\.0\\.conv1\\.weight")).count();
        for (String key : vae.keys()) {
            String target = key.replace("conv_norm_out", "norm_out").replace("conv_shortcut", "nin_shortcut")
                    .replaceAll("encoder\\.down_blocks\\.(\\d+)\\.resnets\\.", "encoder.down.$1.block.")
                    .replaceAll("encoder\\.down_blocks\\.(\\d+)\\.downsamplers\\.0\\.", "encoder.down.$1.downsample.")
                    .replace("mid_block.resnets.0.", "mid.block_1.").replace("mid_block.resnets.1.", "mid.block_2.")
                    .replace("mid_block.attentions.0.", "mid.attn_1.")
                    .replace("group_norm", "norm").replace("to_q", "q").replace("to_k", "k").replace("to_v", "v")
                    .replace("to_out.0", "proj_out");
            Matcher up = Pattern.compile("decoder\\.up_blocks\\.(\\d+)\\.(resnets|upsamplers\\.0)\\.(.+)").matcher(target);
            if (up.matches()) {
                int level = levels - 1 - Integer.parseInt(up.group(1));
                target = "decoder.up." + level + (up.group(2).equals("resnets") ? ".block." : ".upsample.") + up.group(3);
            }
            NDArray value = vae.get(key);
            if (target.contains(".attn_1.") && target.endsWith("weight") && !target.contains(".norm.")) {
                value = value.reshape(value.getShape().get(0), value.getShape().get(1), 1, 1);
            }
            tensors.put(prefix + target, value);
        }
    }

    /** SD 1.x: the transformers keys under the prefix ({@code text_model.} added where a file lacks it). */
    public void clip(StateDict clip) {
        clip(clip, ClipKeyMap.PREFIX);
    }

    /** SDXL's first text encoder, with the position ids that published SDXL files carry and a loader must skip. */
    public void clipL(StateDict clip, NDManager manager) {
        clip(clip, ClipKeyMap.SDXL_PREFIX);
        tensors.put(ClipKeyMap.SDXL_PREFIX + "text_model.embeddings.position_ids",
                manager.arange(0, 77).toType(DataType.INT64, false).reshape(1, 77));
    }

    private void clip(StateDict clip, String prefix) {
        for (String key : clip.keys()) {
            tensors.put(prefix + (key.startsWith("text_model.") ? key : "text_model." + key), clip.get(key));
        }
    }

    /**
     * SD 2.x: OpenCLIP keys, q/k/v fused, and one more resblock than the text encoder has (a copy of
     * layer 0), plus {@code text_projection} and {@code logit_scale}: the layers the reference drops.
     */
    public void openClip(StateDict clip, NDManager manager) {
        StateDict text = clip.has("text_model.final_layer_norm.weight") ? clip.scope("text_model") : clip;
        String p = OpenClipKeyMap.PREFIX;
        openClipTower(text, p, layers(text) + 1);
        long hidden = text.get("final_layer_norm.weight").getShape().get(0);
        tensors.put(p + "text_projection", manager.ones(new Shape(hidden, hidden)));
        tensors.put(p + "logit_scale", manager.create(4.6f));
    }

    /**
     * SDXL's second text encoder (a CLIPTextModelWithProjection's keys): every layer, the projection
     * stored as OpenCLIP applies it, [hidden, projection], and {@code logit_scale}.
     */
    public void openClipBigG(StateDict clip, NDManager manager) {
        StateDict text = clip.scope("text_model");
        String p = OpenClipKeyMap.SDXL_PREFIX;
        openClipTower(text, p, layers(text));
        NDArray projection = clip.get("text_projection.weight");
        long rows = projection.getShape().get(0);
        long columns = projection.getShape().get(1);
        float[] values = projection.toFloatArray();
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[(int) (c * rows + r)] = values[(int) (r * columns + c)];
            }
        }
        tensors.put(p + "text_projection", manager.create(transposed, new Shape(columns, rows)));
        tensors.put(p + "logit_scale", manager.create(4.6f));
    }

    /** The OpenCLIP tower's keys, {@code resblocks} of them; one past the encoder's layers is a copy of layer 0. */
    private void openClipTower(StateDict text, String p, int resblocks) {
        int layers = layers(text);
        tensors.put(p + "token_embedding.weight", text.get("embeddings.token_embedding.weight"));
        tensors.put(p + "positional_embedding", text.get("embeddings.position_embedding.weight"));
        tensors.put(p + "ln_final.weight", text.get("final_layer_norm.weight"));
        tensors.put(p + "ln_final.bias", text.get("final_layer_norm.bias"));
        for (int n = 0; n < resblocks; n++) {
            StateDict layer = text.scope("encoder.layers." + (n == layers ? 0 : n));
            String block = p + "transformer.resblocks." + n + ".";
            for (String kind : new String[] {"weight", "bias"}) {
                tensors.put(block + "attn.in_proj_" + kind, NDArrays.concat(new NDList(
                        layer.get("self_attn.q_proj." + kind), layer.get("self_attn.k_proj." + kind),
                        layer.get("self_attn.v_proj." + kind))));
                tensors.put(block + "attn.out_proj." + kind, layer.get("self_attn.out_proj." + kind));
                tensors.put(block + "ln_1." + kind, layer.get("layer_norm1." + kind));
                tensors.put(block + "ln_2." + kind, layer.get("layer_norm2." + kind));
                tensors.put(block + "mlp.c_fc." + kind, layer.get("mlp.fc1." + kind));
                tensors.put(block + "mlp.c_proj." + kind, layer.get("mlp.fc2." + kind));
            }
        }
    }

    private static int layers(StateDict text) {
        return (int) text.keys().stream().filter(k -> k.matches("encoder\\.layers\\.\\d+\\.layer_norm1\\.weight")).count();
    }

    /** Scheduler buffers, EMA copies and SGM's denoiser sigmas, which real checkpoints carry and a loader must skip. */
    public void extras(NDManager manager) {
        tensors.put("alphas_cumprod", manager.ones(new Shape(1000)));
        tensors.put("model_ema.decay", manager.create(0.9999f));
        tensors.put("denoiser.sigmas", manager.ones(new Shape(1000)));
    }

    private static String unetKey(String key, StateDict unet) {
        Map<String, String> fixed = Map.of("time_embedding.linear_1", "time_embed.0", "time_embedding.linear_2",
                "time_embed.2", "conv_in", "input_blocks.0.0", "conv_norm_out", "out.0", "conv_out", "out.2",
                "add_embedding.linear_1", "label_emb.0.0", "add_embedding.linear_2", "label_emb.0.2");
        String module = key.substring(0, key.lastIndexOf('.'));
        if (fixed.containsKey(module)) {
            return fixed.get(module) + key.substring(module.length());
        }
        Matcher m;
        if ((m = DOWN.matcher(key)).matches()) {
            int index = 1 + Integer.parseInt(m.group(1)) * (LAYERS_PER_BLOCK + 1) + Integer.parseInt(m.group(3));
            return m.group(2).equals("resnets") ? "input_blocks." + index + ".0." + resnet(m.group(4))
                    : "input_blocks." + index + ".1." + m.group(4);
        }
        if ((m = DOWNSAMPLER.matcher(key)).matches()) {
            return "input_blocks." + (Integer.parseInt(m.group(1)) + 1) * (LAYERS_PER_BLOCK + 1) + ".0.op." + m.group(2);
        }
        if ((m = MID.matcher(key)).matches()) {
            return m.group(1).equals("resnets")
                    ? "middle_block." + 2 * Integer.parseInt(m.group(2)) + "." + resnet(m.group(3))
                    : "middle_block.1." + m.group(3);
        }
        if ((m = UP.matcher(key)).matches()) {
            int index = Integer.parseInt(m.group(1)) * (LAYERS_PER_BLOCK + 1) + Integer.parseInt(m.group(3));
            return m.group(2).equals("resnets") ? "output_blocks." + index + ".0." + resnet(m.group(4))
                    : "output_blocks." + index + ".1." + m.group(4);
        }
        if ((m = UPSAMPLER.matcher(key)).matches()) {
            int block = Integer.parseInt(m.group(1));
            boolean attention = unet.has("up_blocks." + block + ".attentions.0.norm.weight");
            return "output_blocks." + (block * (LAYERS_PER_BLOCK + 1) + LAYERS_PER_BLOCK) + (attention ? ".2" : ".1")
                    + ".conv." + m.group(2);
        }
        throw new IllegalArgumentException("no LDM key for " + key);
    }

    private static String resnet(String key) {
        return key.replace("norm1", "in_layers.0").replace("conv1", "in_layers.2").replace("norm2", "out_layers.0")
                .replace("conv2", "out_layers.3").replace("time_emb_proj", "emb_layers.1")
                .replace("conv_shortcut", "skip_connection");
    }
}
