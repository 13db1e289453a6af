package io.fijigen.engine.weights.ldm;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.fijigen.engine.config.ConfigFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The diffusers configs of a single-file checkpoint, inferred from its tensor shapes and, where
 * shapes cannot tell, from the sidecar LDM yaml or the Stable Diffusion defaults, as the
 * reference's {@code create_unet_diffusers_config_from_ldm}, {@code
 * create_vae_diffusers_config_from_ldm} and {@code _legacy_load_scheduler} do.
 *
 * <p>Shapes give every width, depth and layer count. They cannot give attention head counts: those
 * come from the yaml ({@code unet_config.params.num_heads}, or {@code num_head_channels}; a
 * per-level list of {@code num_heads} is accepted too; SDXL's SGM yaml has {@code network_config}
 * for the UNet and one {@code conditioner_config.params.emb_models} entry per text encoder, in the
 * checkpoint's embedder order), or, for the real SD 1.x / 2.x / SDXL widths, from their published
 * configs (SD 1.x: 8 heads; SD 2.x and SDXL: 64 channels a head; CLIP text encoders: 64 channels a
 * head). Nor can they give SDXL's scale factor or the width of its size-condition embeddings,
 * which come from the yaml or the published {@code sd_xl_base.yaml}.
 */
public final class LdmConfigInference {
    private static final String UNET_PARAMS = "model.params.unet_config.params.";
    private static final String SDXL_UNET_PARAMS = "model.params.network_config.params.";
    private static final String CONTROL_PARAMS = "model.params.control_stage_config.params.";
    private static final String TEXT_PARAMS = "model.params.cond_stage_config.params.";
    /** SGM's conditioners, numbered as the checkpoint's {@code conditioner.embedders.N}. */
    private static final String EMBEDDER_LIST = "model.params.conditioner_config.params.emb_models";
    private static final String EMBEDDERS = EMBEDDER_LIST + ".";
    private static final int SD_MODEL_CHANNELS = 320;
    private static final int SD1_CONTEXT = 768;
    private static final int SD2_CONTEXT = 1024;
    private static final int SDXL_CONTEXT = 2048;
    private static final int SD1_HEADS = 8;
    private static final int HEAD_CHANNELS = 64;
    private static final int CLIP_HEAD_CHANNELS = 64;
    /** CLIP ViT-L, OpenCLIP ViT-H (SD 2.x), OpenCLIP ViT-bigG (SDXL). */
    private static final List<Integer> CLIP_WIDTHS = List.of(768, 1024, 1280);
    /** SDXL base conditions on three sizes (original, crop top-left, target) of two numbers each. */
    private static final int SIZE_CONDITIONS = 6;
    /** sd_xl_base.yaml's size embedders' outdim: adm_in_channels 2816 = 1280 pooled + 6 · 256. */
    private static final int SDXL_SIZE_EMBEDDING = 256;
    private static final double SDXL_SCALE_FACTOR = 0.13025;
    private static final int SDXL_LATENT_SIZE = 128;
    private static final Pattern OUTPUT_BLOCK = Pattern.compile("output_blocks\\.(\\d+)\\.");
    private static final Pattern INPUT_BLOCK = Pattern.compile("input_blocks\\.(\\d+)\\.");
    private static final Pattern VAE_LEVEL = Pattern.compile("encoder\\.down\\.(\\d+)\\.");
    private static final Pattern VAE_RESNET = Pattern.compile("encoder\\.down\\.0\\.block\\.(\\d+)\\.");
    private static final Pattern CLIP_LAYER = Pattern.compile("text_model\\.encoder\\.layers\\.(\\d+)\\.");
    private static final String ADDITION_EMBEDDING = "label_emb.0.0.weight";
    private static final Pattern MID_TRANSFORMER = Pattern.compile("middle_block\\.1\\.transformer_blocks\\.(\\d+)\\.");

    private final String name;
    private final LdmLayout layout;
    private final Optional<LdmYaml> yaml;
    private final Optional<String> predictionType;

    /**
     * @param name the checkpoint's file name, which the configs' errors start with
     * @param predictionType the user's "epsilon" or "v_prediction", over the yaml's and the default
     */
    public LdmConfigInference(String name, LdmLayout layout, Optional<LdmYaml> yaml, Optional<String> predictionType) {
        this.name = name;
        this.layout = layout;
        this.yaml = yaml;
        this.predictionType = predictionType;
    }

    public ConfigFile unet(ComponentTensors unet) {
        String params = layout == LdmLayout.STABLE_DIFFUSION_XL ? SDXL_UNET_PARAMS : UNET_PARAMS;
        JsonObject config = unetShared(unet, params);
        config.addProperty("_class_name", "UNet2DConditionModel");
        config.addProperty("out_channels", unet.dim("out.2.weight", 0));
        List<String> up = new ArrayList<>(strings(config, "down_block_types").stream()
                .map(type -> type.replace("Down", "Up")).toList());
        Collections.reverse(up);
        config.add("up_block_types", new Gson().toJsonTree(up));
        // SD 2.x was trained with attention computed in float32 (LDM's _ATTN_PRECISION), as the
        // reference's SD 2.1 config says with upcast_attention.
        config.addProperty("upcast_attention", layout == LdmLayout.STABLE_DIFFUSION_2);
        // The latent size of the training images: SDXL's 1024 pixels, 768-pixel v-prediction SD 2.x,
        // else 512 (as the reference).
        int latentSize = yaml.flatMap(y -> y.integer(params + "image_size"))
                .orElse(layout == LdmLayout.STABLE_DIFFUSION_XL ? SDXL_LATENT_SIZE
                        : layout == LdmLayout.STABLE_DIFFUSION_2 && isVPrediction() ? 96 : 64);
        config.addProperty("sample_size", latentSize);
        return parse("unet", config);
    }

    public ConfigFile controlNet(ComponentTensors controlNet) {
        JsonObject config = unetShared(controlNet, CONTROL_PARAMS);
        config.addProperty("_class_name", "ControlNetModel");
        config.addProperty("conditioning_channels", controlNet.dim("input_hint_block.0.weight", 1));
        List<Long> embedding = new ArrayList<>();
        int hints = controlNet.countDistinct(ControlNetKeyMap.HINT);
        // Convolutions 0, 2, ..., 2(n-1): conv_in and the blocks; the last one (conv_out) is the model's width.
        for (int i = 0; i < hints - 1; i += 2) {
            embedding.add(controlNet.dim("input_hint_block." + (2 * i) + ".weight", 0));
        }
        config.add("conditioning_embedding_out_channels", new Gson().toJsonTree(embedding));
        return parse("controlnet", config);
    }

    public ConfigFile vae(ComponentTensors vae) {
        JsonObject config = new JsonObject();
        config.addProperty("_class_name", "AutoencoderKL");
        int levels = vae.countDistinct(VAE_LEVEL);
        List<Long> channels = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            channels.add(vae.dim("encoder.down." + i + ".block.0.conv1.weight", 0));
        }
        config.add("block_out_channels", new Gson().toJsonTree(channels));
        config.add("down_block_types", new Gson().toJsonTree(Collections.nCopies(levels, "DownEncoderBlock2D")));
        config.add("up_block_types", new Gson().toJsonTree(Collections.nCopies(levels, "UpDecoderBlock2D")));
        config.addProperty("layers_per_block", vae.countDistinct(VAE_RESNET));
        config.addProperty("in_channels", vae.dim("encoder.conv_in.weight", 1));
        config.addProperty("out_channels", vae.dim("decoder.conv_out.weight", 0));
        config.addProperty("latent_channels", vae.dim("decoder.conv_in.weight", 1));
        boolean sdxl = layout == LdmLayout.STABLE_DIFFUSION_XL;
        config.addProperty("scaling_factor", yaml.flatMap(y -> y.number("model.params.scale_factor"))
                .orElse(sdxl ? SDXL_SCALE_FACTOR : 0.18215));
        config.addProperty("sample_size", yaml.flatMap(y -> y.integer(
                "model.params.first_stage_config.params.ddconfig.resolution")).orElse(sdxl ? 1024 : 512));
        return parse("vae", config);
    }

    /**
     * The text encoder's config (SDXL's first, CLIP ViT-L), over the keys the text key map
     * produced ({@code text_model.*}).
     */
    public ConfigFile textEncoder(ComponentTensors mapped) {
        if (layout != LdmLayout.STABLE_DIFFUSION_XL) {
            String hiddenAct = layout == LdmLayout.STABLE_DIFFUSION_2 ? "gelu" : "quick_gelu";
            return parse("text_encoder", clipText(mapped, hiddenAct, TEXT_PARAMS + "num_heads"));
        }
        JsonObject config = clipText(mapped, "quick_gelu", EMBEDDERS + "0.params.num_heads");
        // CLIP ViT-L's projection is as wide as its hidden states, as the published config says
        // (the pipeline does not use it).
        config.addProperty("projection_dim", mapped.dim("text_model.final_layer_norm.weight", 0));
        return parse("text_encoder", withSdxlTokenIds(config));
    }

    /** SDXL's second text encoder (OpenCLIP ViT-bigG with its projection), over the keys its key map produced. */
    public ConfigFile textEncoder2(ComponentTensors mapped) {
        JsonObject config = clipText(mapped, "gelu", EMBEDDERS + "1.params.num_heads");
        config.addProperty("projection_dim", mapped.dim("text_projection.weight", 0));
        return parse("text_encoder_2", withSdxlTokenIds(config));
    }

    /** What every CLIP text tower's config says, from its shapes and, for the heads, {@code headsKey}. */
    private JsonObject clipText(ComponentTensors mapped, String hiddenAct, String headsKey) {
        JsonObject config = new JsonObject();
        long hidden = mapped.dim("text_model.embeddings.token_embedding.weight", 1);
        config.addProperty("vocab_size", mapped.dim("text_model.embeddings.token_embedding.weight", 0));
        config.addProperty("hidden_size", hidden);
        config.addProperty("max_position_embeddings", mapped.dim("text_model.embeddings.position_embedding.weight", 0));
        config.addProperty("intermediate_size", mapped.dim("text_model.encoder.layers.0.mlp.fc1.weight", 0));
        config.addProperty("num_hidden_layers", mapped.countDistinct(CLIP_LAYER));
        // CLIP ViT-L/14 uses quick_gelu, OpenCLIP's ViT-H/14 and ViT-bigG/14 the exact gelu.
        config.addProperty("hidden_act", hiddenAct);
        Optional<Integer> heads = yaml.flatMap(y -> y.integer(headsKey));
        if (heads.isEmpty() && !CLIP_WIDTHS.contains((int) hidden)) {
            throw cannotInfer("the text encoder's attention heads", "its width is " + hidden + ", not CLIP's 768 or"
                    + " OpenCLIP's 1024 or 1280", headsKey);
        }
        config.addProperty("num_attention_heads", heads.orElse((int) hidden / CLIP_HEAD_CHANNELS));
        return config;
    }

    /**
     * The published SDXL text encoder configs say bos 0, eos 2, pad 1 (not the tokenizer's ids);
     * with eos 2 transformers pools at the highest id, the first end-of-text, so the row is the
     * same. Said here as there, so that the networks read what they read from the folder.
     */
    private static JsonObject withSdxlTokenIds(JsonObject config) {
        config.addProperty("bos_token_id", 0);
        config.addProperty("eos_token_id", 2);
        config.addProperty("pad_token_id", 1);
        return config;
    }

    /**
     * SD 1.x: the PNDM config of the published 1.x pipelines; SD 2.x: DDIM, as the 2.x ones; SDXL:
     * the published SDXL base's Euler config (with the DDIM and PNDM keys it carries). Betas from the
     * yaml's {@code linear_start}/{@code linear_end} where given.
     */
    public ConfigFile scheduler() {
        JsonObject config = new JsonObject();
        boolean sd2 = layout == LdmLayout.STABLE_DIFFUSION_2;
        boolean sdxl = layout == LdmLayout.STABLE_DIFFUSION_XL;
        config.addProperty("_class_name", sdxl ? "EulerDiscreteScheduler" : sd2 ? "DDIMScheduler" : "PNDMScheduler");
        config.addProperty("beta_start", yaml.flatMap(y -> y.number("model.params.linear_start")).orElse(0.00085));
        config.addProperty("beta_end", yaml.flatMap(y -> y.number("model.params.linear_end")).orElse(0.012));
        config.addProperty("beta_schedule", "scaled_linear");
        config.addProperty("num_train_timesteps", yaml.flatMap(y -> y.integer("model.params.timesteps")).orElse(1000));
        config.addProperty("steps_offset", 1);
        config.addProperty("set_alpha_to_one", false);
        config.addProperty("timestep_spacing", "leading");
        if (sd2 || sdxl) {
            config.addProperty("clip_sample", false);
        }
        if (!sd2) {
            config.addProperty("skip_prk_steps", true);
        }
        if (sdxl) {
            config.addProperty("interpolation_type", "linear");
            config.addProperty("use_karras_sigmas", false);
        }
        config.addProperty("prediction_type", isVPrediction() ? "v_prediction" : "epsilon");
        return parse("scheduler", config);
    }

    /**
     * The user's {@code --prediction-type}, else the yaml's {@code parameterization} ("v" or the
     * LDM default "eps"; SGM says it by the denoiser's scaling class, {@code VScaling}), else,
     * without a yaml, v-prediction for SD 2.x (the 768 models; the 512 "base" ones need
     * {@code epsilon} said) as the reference assumes.
     */
    private boolean isVPrediction() {
        if (predictionType.isPresent()) {
            return predictionType.get().equals("v_prediction");
        }
        if (yaml.isPresent()) {
            return yaml.get().string("model.params.parameterization").orElse("eps").equals("v")
                    || yaml.get().string("model.params.denoiser_config.params.scaling_config.target").orElse("")
                            .endsWith(".VScaling");
        }
        return layout == LdmLayout.STABLE_DIFFUSION_2;
    }

    /** What a UNet and a ControlNet share: the down path and mid block. */
    private JsonObject unetShared(ComponentTensors unet, String params) {
        int layersPerBlock = UNetKeyMap.layersPerBlock(unet);
        int levels = unet.countDistinct(INPUT_BLOCK) / (layersPerBlock + 1);
        long modelChannels = unet.dim("input_blocks.0.0.weight", 0);
        List<Long> channels = new ArrayList<>();
        List<String> down = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        int midDepth = unet.countDistinct(MID_TRANSFORMER);
        String firstAttention = null;
        for (int level = 0; level < levels; level++) {
            String block = "input_blocks." + (1 + level * (layersPerBlock + 1)) + ".";
            channels.add(unet.dim(block + "0.out_layers.3.weight", 0));
            boolean attention = unet.has(block + "1.norm.weight");
            down.add(attention ? "CrossAttnDownBlock2D" : "DownBlock2D");
            // diffusers gives the mid block the last level's depth; other levels without attention
            // have none, which the published configs write as 1.
            depths.add(attention ? unet.countDistinct(Pattern.compile(Pattern.quote(block + "1.")
                    + "transformer_blocks\\.(\\d+)\\.")) : level == levels - 1 ? midDepth : 1);
            if (attention && firstAttention == null) {
                firstAttention = block + "1.";
            }
        }
        if (depths.get(levels - 1) != midDepth) {
            throw new LdmFormatException(name + ": the UNet's mid block has " + midDepth + " transformer blocks and"
                    + " its last level " + depths.get(levels - 1) + "; a diffusers UNet has the same number in both");
        }
        if (firstAttention == null) {
            throw new LdmFormatException(name + ": the UNet has no attention blocks (input_blocks.N.1.*):"
                    + " not a Stable Diffusion UNet");
        }
        long context = unet.dim(firstAttention + "transformer_blocks.0.attn2.to_k.weight", 1);
        JsonObject config = new JsonObject();
        config.addProperty("in_channels", unet.dim("input_blocks.0.0.weight", 1));
        config.add("block_out_channels", new Gson().toJsonTree(channels));
        config.add("down_block_types", new Gson().toJsonTree(down));
        config.addProperty("layers_per_block", layersPerBlock);
        config.addProperty("cross_attention_dim", context);
        config.addProperty("use_linear_projection", unet.view(firstAttention + "proj_in.weight").shape().length == 2);
        config.add("transformer_layers_per_block", new Gson().toJsonTree(depths));
        config.add("attention_head_dim", new Gson().toJsonTree(heads(params, modelChannels, context, channels)));
        if (unet.has(ADDITION_EMBEDDING)) {
            long inputs = unet.dim(ADDITION_EMBEDDING, 1);
            config.addProperty("addition_embed_type", "text_time");
            config.addProperty("addition_time_embed_dim", sizeEmbedding(inputs));
            config.addProperty("projection_class_embeddings_input_dim", inputs);
        }
        return config;
    }

    /**
     * SDXL's width of each size number's embedding: the yaml's size embedders' {@code outdim}, else
     * {@code sd_xl_base.yaml}'s. The add-embedding takes the pooled text then the six embeddings,
     * so it must take more than those.
     */
    private int sizeEmbedding(long inputs) {
        int width = yaml.flatMap(y -> IntStream.range(0, y.size(EMBEDDER_LIST))
                        .mapToObj(i -> y.integer(EMBEDDERS + i + ".params.outdim"))
                        .flatMap(Optional::stream)
                        .findFirst())
                .orElse(SDXL_SIZE_EMBEDDING);
        if (inputs <= (long) SIZE_CONDITIONS * width) {
            throw cannotInfer("the width of the size-condition embeddings", ADDITION_EMBEDDING + " takes " + inputs
                    + " inputs, too few for the pooled text and " + SIZE_CONDITIONS + " embeddings of " + width,
                    EMBEDDERS + "N.params.outdim (of the size embedders)");
        }
        return width;
    }

    /** diffusers' attention_head_dim (a head count, by the reference's naming quirk), per level. */
    private List<Integer> heads(String params, long modelChannels, long context, List<Long> channels) {
        Optional<List<Integer>> numHeads = yaml.flatMap(y -> y.integers(params + "num_heads"))
                .filter(list -> !list.equals(List.of(-1)));
        if (numHeads.isPresent()) {
            List<Integer> given = numHeads.get();
            if (given.size() == 1) {
                return Collections.nCopies(channels.size(), given.get(0));
            }
            if (given.size() != channels.size()) {
                throw new LdmFormatException(yaml.get().file() + ": " + params + "num_heads lists " + given.size()
                        + " values for " + channels.size() + " levels");
            }
            return given;
        }
        Optional<Integer> headChannels = yaml.flatMap(y -> y.integer(params + "num_head_channels"))
                .filter(value -> value > 0)
                .or(() -> modelChannels == SD_MODEL_CHANNELS && (context == SD2_CONTEXT || context == SDXL_CONTEXT)
                        ? Optional.of(HEAD_CHANNELS) : Optional.empty());
        if (headChannels.isPresent()) {
            return channels.stream().map(c -> (int) (c / headChannels.get())).toList();
        }
        if (modelChannels == SD_MODEL_CHANNELS && context == SD1_CONTEXT) {
            return Collections.nCopies(channels.size(), SD1_HEADS);
        }
        throw cannotInfer("the UNet's attention heads", "model_channels " + modelChannels + " and context_dim "
                + context + " are neither SD 1.x's (320, 768), SD 2.x's (320, 1024) nor SDXL's (320, 2048)",
                params + "num_heads (or num_head_channels)");
    }

    private LdmFormatException cannotInfer(String what, String why, String key) {
        String stem = name.replaceAll("\\.safetensors$", "");
        return new LdmFormatException(name + ": cannot infer " + what + " from the tensor shapes: " + why
                + "; give " + key + " in a sidecar " + stem + ".yaml beside the checkpoint"
                + yaml.map(y -> " (" + y.file().getFileName() + " has none)").orElse(""));
    }

    private static List<String> strings(JsonObject config, String key) {
        List<String> values = new ArrayList<>();
        config.getAsJsonArray(key).forEach(element -> values.add(element.getAsString()));
        return values;
    }

    private ConfigFile parse(String component, JsonObject config) {
        return ConfigFile.parse(name + " (" + component + " config inferred from its shapes)", config.toString());
    }
}
