package io.fijigen.engine.bench;

import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter names and shapes of a component, derived from its config as diffusers and
 * transformers build the modules: what a checkpoint of that architecture holds. The benchmark
 * fills them with random values to time full-size networks without downloading one.
 */
final class ArchitectureShapes {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private ArchitectureShapes() {}

    static Map<String, long[]> unet(UNet2DConditionConfig config) {
        ArchitectureShapes out = new ArchitectureShapes();
        out.unetInput("", config);
        int levels = config.levels();
        int[] channels = config.blockOutChannels();
        int previous = channels[levels - 1];
        for (int i = 0; i < levels; i++) {
            int level = config.upLevel(i);
            int width = channels[level];
            int skipFrom = channels[Math.max(level - 1, 0)];
            String block = "up_blocks." + i + ".";
            boolean crossAttention = config.upBlockTypes().get(i).startsWith("CrossAttn");
            int layers = config.layersPerBlock() + 1;
            for (int j = 0; j < layers; j++) {
                int skip = j == layers - 1 ? skipFrom : width;
                int in = j == 0 ? previous : width;
                out.resnet(block + "resnets." + j + ".", in + skip, width, config.timeEmbedDim());
                if (crossAttention) {
                    out.transformer(block + "attentions." + j + ".", width, level, config.onlyCrossAttention()[level], config);
                }
            }
            if (i < levels - 1) {
                out.conv(block + "upsamplers.0.conv.", width, width, 3);
            }
            previous = width;
        }
        out.norm("conv_norm_out.", channels[0]);
        out.conv("conv_out.", config.outChannels(), channels[0], config.convOutKernel());
        return out.shapes;
    }

    static Map<String, long[]> controlNet(ControlNetConfig config) {
        ArchitectureShapes out = new ArchitectureShapes();
        UNet2DConditionConfig unet = config.unet();
        int[] embedding = config.conditioningEmbeddingOutChannels();
        out.conv("controlnet_cond_embedding.conv_in.", embedding[0], config.conditioningChannels(), 3);
        for (int i = 0; i < embedding.length - 1; i++) {
            out.conv("controlnet_cond_embedding.blocks." + (2 * i) + ".", embedding[i], embedding[i], 3);
            out.conv("controlnet_cond_embedding.blocks." + (2 * i + 1) + ".", embedding[i + 1], embedding[i], 3);
        }
        out.conv("controlnet_cond_embedding.conv_out.", unet.blockOutChannels()[0], embedding[embedding.length - 1], 3);
        out.unetInput("", unet);
        // One zero convolution per residual the down path hands the UNet: conv_in's, each resnet's, each downsampler's.
        int zero = 0;
        out.conv("controlnet_down_blocks." + zero++ + ".", unet.blockOutChannels()[0], unet.blockOutChannels()[0], 1);
        for (int i = 0; i < unet.levels(); i++) {
            int width = unet.blockOutChannels()[i];
            int residuals = unet.layersPerBlock() + (i < unet.levels() - 1 ? 1 : 0);
            for (int r = 0; r < residuals; r++) {
                out.conv("controlnet_down_blocks." + zero++ + ".", width, width, 1);
            }
        }
        int last = unet.blockOutChannels()[unet.levels() - 1];
        out.conv("controlnet_mid_block.", last, last, 1);
        return out.shapes;
    }

    static Map<String, long[]> vae(AutoencoderKLConfig config) {
        ArchitectureShapes out = new ArchitectureShapes();
        int[] channels = config.blockOutChannels();
        int levels = channels.length;
        int last = channels[levels - 1];
        int latent = config.latentChannels();
        out.conv("encoder.conv_in.", channels[0], config.inChannels(), 3);
        for (int i = 0; i < levels; i++) {
            int in = channels[Math.max(i - 1, 0)];
            for (int j = 0; j < config.layersPerBlock(); j++) {
                out.resnet("encoder.down_blocks." + i + ".resnets." + j + ".", j == 0 ? in : channels[i], channels[i], 0);
            }
            if (i < levels - 1) {
                out.conv("encoder.down_blocks." + i + ".downsamplers.0.conv.", channels[i], channels[i], 3);
            }
        }
        out.vaeMidBlock("encoder.mid_block.", last, config.midBlockAddAttention());
        out.norm("encoder.conv_norm_out.", last);
        out.conv("encoder.conv_out.", 2 * latent, last, 3);
        if (config.useQuantConv()) {
            out.conv("quant_conv.", 2 * latent, 2 * latent, 1);
        }
        if (config.usePostQuantConv()) {
            out.conv("post_quant_conv.", latent, latent, 1);
        }
        out.conv("decoder.conv_in.", last, latent, 3);
        out.vaeMidBlock("decoder.mid_block.", last, config.midBlockAddAttention());
        int previous = last;
        for (int i = 0; i < levels; i++) {
            int width = channels[levels - 1 - i];
            for (int j = 0; j <= config.layersPerBlock(); j++) {
                out.resnet("decoder.up_blocks." + i + ".resnets." + j + ".", j == 0 ? previous : width, width, 0);
            }
            if (i < levels - 1) {
                out.conv("decoder.up_blocks." + i + ".upsamplers.0.conv.", width, width, 3);
            }
            previous = width;
        }
        out.norm("decoder.conv_norm_out.", channels[0]);
        out.conv("decoder.conv_out.", config.outChannels(), channels[0], 3);
        return out.shapes;
    }

    /** transformers' CLIPTextModel, as saved: every name under {@code text_model.}. */
    static Map<String, long[]> clipText(ClipTextConfig config) {
        ArchitectureShapes out = new ArchitectureShapes();
        int width = config.hiddenSize();
        out.put("text_model.embeddings.token_embedding.weight", config.vocabSize(), width);
        out.put("text_model.embeddings.position_embedding.weight", config.maxPositionEmbeddings(), width);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String layer = "text_model.encoder.layers." + i + ".";
            for (String projection : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) {
                out.linear(layer + "self_attn." + projection + ".", width, width, true);
            }
            out.norm(layer + "layer_norm1.", width);
            out.linear(layer + "mlp.fc1.", config.intermediateSize(), width, true);
            out.linear(layer + "mlp.fc2.", width, config.intermediateSize(), true);
            out.norm(layer + "layer_norm2.", width);
        }
        out.norm("text_model.final_layer_norm.", width);
        return out.shapes;
    }

    /** transformers' CLIPTextModelWithProjection (SDXL's text_encoder_2): the text model and an unbiased projection. */
    static Map<String, long[]> clipTextWithProjection(ClipTextConfig config) {
        ArchitectureShapes out = new ArchitectureShapes();
        out.shapes.putAll(clipText(config));
        out.linear("text_projection.", config.projectionDim(), config.hiddenSize(), false);
        return out.shapes;
    }

    /**
     * What a UNet and a ControlNet share: the input convolution, time embedding (with SDXL's added
     * text and time embedding), down path and mid block.
     */
    private void unetInput(String prefix, UNet2DConditionConfig config) {
        int[] channels = config.blockOutChannels();
        int time = config.timeEmbedDim();
        conv(prefix + "conv_in.", channels[0], config.inChannels(), config.convInKernel());
        linear(prefix + "time_embedding.linear_1.", time, channels[0], true);
        linear(prefix + "time_embedding.linear_2.", time, time, true);
        if (config.numClassEmbeds() != null) {
            put(prefix + "class_embedding.weight", config.numClassEmbeds(), time);
        }
        if (config.textTime() != null) {
            linear(prefix + "add_embedding.linear_1.", time, config.textTime().inputDim(), true);
            linear(prefix + "add_embedding.linear_2.", time, time, true);
        }
        for (int i = 0; i < config.levels(); i++) {
            String block = prefix + "down_blocks." + i + ".";
            boolean crossAttention = config.downBlockTypes().get(i).startsWith("CrossAttn");
            for (int j = 0; j < config.layersPerBlock(); j++) {
                int in = j == 0 ? channels[Math.max(i - 1, 0)] : channels[i];
                resnet(block + "resnets." + j + ".", in, channels[i], time);
                if (crossAttention) {
                    transformer(block + "attentions." + j + ".", channels[i], i, config.onlyCrossAttention()[i], config);
                }
            }
            if (i < config.levels() - 1) {
                conv(block + "downsamplers.0.conv.", channels[i], channels[i], 3);
            }
        }
        int last = channels[config.levels() - 1];
        resnet(prefix + "mid_block.resnets.0.", last, last, time);
        // The mid block's first attention always attends to itself: only_cross_attention is for the levels.
        transformer(prefix + "mid_block.attentions.0.", last, config.levels() - 1, false, config);
        resnet(prefix + "mid_block.resnets.1.", last, last, time);
    }

    /** ResnetBlock2D; {@code time} 0 for the VAE's, which take no timestep embedding. */
    private void resnet(String prefix, int in, int out, int time) {
        norm(prefix + "norm1.", in);
        conv(prefix + "conv1.", out, in, 3);
        if (time > 0) {
            linear(prefix + "time_emb_proj.", out, time, true);
        }
        norm(prefix + "norm2.", out);
        conv(prefix + "conv2.", out, out, 3);
        if (in != out) {
            conv(prefix + "conv_shortcut.", out, in, 1);
        }
    }

    /**
     * Transformer2DModel at a down level's depth (the up path mirrors them); with {@code onlyCross}
     * its first attention attends to the text too.
     */
    private void transformer(String prefix, int width, int level, boolean onlyCross, UNet2DConditionConfig config) {
        norm(prefix + "norm.", width);
        projection(prefix + "proj_in.", width, config.useLinearProjection());
        int cross = config.crossAttentionDim();
        for (int t = 0; t < config.transformerLayersPerBlock()[level]; t++) {
            String block = prefix + "transformer_blocks." + t + ".";
            norm(block + "norm1.", width);
            attention(block + "attn1.", width, onlyCross ? cross : width);
            norm(block + "norm2.", width);
            attention(block + "attn2.", width, cross);
            norm(block + "norm3.", width);
            // GEGLU: one projection to twice the 4× inner width, half of it the gate.
            linear(block + "ff.net.0.proj.", 8 * width, width, true);
            linear(block + "ff.net.2.", width, 4 * width, true);
        }
        projection(prefix + "proj_out.", width, config.useLinearProjection());
    }

    private void attention(String prefix, int width, int keyWidth) {
        linear(prefix + "to_q.", width, width, false);
        linear(prefix + "to_k.", width, keyWidth, false);
        linear(prefix + "to_v.", width, keyWidth, false);
        linear(prefix + "to_out.0.", width, width, true);
    }

    /** The VAE's mid block: two resnets around one single-head attention with biased projections. */
    private void vaeMidBlock(String prefix, int width, boolean withAttention) {
        resnet(prefix + "resnets.0.", width, width, 0);
        if (withAttention) {
            norm(prefix + "attentions.0.group_norm.", width);
            for (String projection : new String[] {"to_q.", "to_k.", "to_v.", "to_out.0."}) {
                linear(prefix + "attentions.0." + projection, width, width, true);
            }
        }
        resnet(prefix + "resnets.1.", width, width, 0);
    }

    private void projection(String prefix, int width, boolean linear) {
        if (linear) {
            linear(prefix, width, width, true);
        } else {
            conv(prefix, width, width, 1);
        }
    }

    private void conv(String prefix, int out, int in, int kernel) {
        put(prefix + "weight", out, in, kernel, kernel);
        put(prefix + "bias", out);
    }

    private void linear(String prefix, int out, int in, boolean bias) {
        put(prefix + "weight", out, in);
        if (bias) {
            put(prefix + "bias", out);
        }
    }

    private void norm(String prefix, int width) {
        put(prefix + "weight", width);
        put(prefix + "bias", width);
    }

    private void put(String name, long... shape) {
        if (shapes.put(name, shape) != null) {
            throw new IllegalStateException("parameter '" + name + "' enumerated twice");
        }
    }
}
