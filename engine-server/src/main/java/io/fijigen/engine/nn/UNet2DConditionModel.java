package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.Parameter;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code UNet2DConditionModel}: the noise predictor of SD 1.x/2.x and SDXL (with its
 * added text and time conditions), the 9-channel inpainting UNets and the x4 upscaler's 7-channel
 * UNet with class labels for the noise level.
 */
public final class UNet2DConditionModel {
    private final UNet2DConditionConfig config;
    private final DownPath downPath;
    private final List<UpBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final Map<String, Parameter> parameters;

    public UNet2DConditionModel(UNet2DConditionConfig config, StateDict weights) {
        this.config = config;
        this.downPath = new DownPath(config, weights);
        for (int i = 0; i < config.levels(); i++) {
            BlockSettings settings = DownPath.settings(config, config.upLevel(i), config.layersPerBlock() + 1,
                    config.resnetOutScaleFactor());
            StateDict block = weights.scope("up_blocks." + i);
            upBlocks.add(config.upBlockTypes().get(i).equals("CrossAttnUpBlock2D")
                    ? new CrossAttnUpBlock2D(block, settings)
                    : new UpBlock2D(block, settings));
        }
        this.convNormOut = new GroupNorm(weights.scope("conv_norm_out"), config.normNumGroups(), config.normEps());
        this.convOut = Conv2d.same(weights.scope("conv_out"));
        this.parameters = Map.copyOf(weights.parameters());
    }

    /** The weights of its Linear and Conv2d layers by diffusers' key: what LoRAs merge into. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    public UNet2DConditionConfig config() {
        return config;
    }

    public NDArray forward(NDArray sample, NDArray timestep, NDArray text) {
        return forward(sample, timestep, text, null, null, null, null);
    }

    /** A UNet without added conditions (SD 1.x/2.x, the upscaler). */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray text, NDArray classLabels,
            UNetResiduals residuals) {
        return forward(sample, timestep, text, classLabels, null, null, residuals);
    }

    /** A UNet step without regional prompts. */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray text, NDArray classLabels,
            NDArray timestepCond, AddedConditions added, UNetResiduals residuals) {
        return forward(sample, timestep, text, classLabels, timestepCond, added, residuals, null);
    }

    /**
     * @param sample [B, in_channels, h, w] latents
     * @param timestep a scalar or [B]
     * @param text [B, 77, cross_attention_dim] encoder hidden states
     * @param classLabels [B] int64, for a UNet with class embeddings (the upscaler's noise level)
     * @param timestepCond [B, time_cond_proj_dim], for a UNet with time_cond_proj_dim (LCM-distilled: the
     *     guidance-scale embedding), or null
     * @param added SDXL's text_embeds and time_ids, for a UNet with addition_embed_type "text_time"
     * @param residuals a ControlNet's additions, or null
     * @param regions regional prompts mixed into every cross-attention (an attention couple), or null
     * @return the model output, [B, out_channels, h, w]
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray text, NDArray classLabels,
            NDArray timestepCond, AddedConditions added, UNetResiduals residuals, RegionalText regions) {
        return Ops.scoped(sample, () -> {
            NDArray emb = downPath.embed(sample, timestep, classLabels, timestepCond, added);
            List<NDArray> skips = new ArrayList<>();
            NDArray h = downPath.down(downPath.convIn(sample), emb, text, regions, skips);
            if (residuals != null) {
                addResiduals(skips, residuals.down());
            }
            h = downPath.mid(h, emb, text, regions);
            if (residuals != null) {
                h = h.add(residuals.mid());
            }
            for (UpBlock2D block : upBlocks) {
                long[] upsampleSize = null;
                int remaining = skips.size() - block.skipCount();
                if (remaining > 0) {
                    Shape next = skips.get(remaining - 1).getShape();
                    upsampleSize = new long[] {next.get(2), next.get(3)};
                }
                h = block.forward(h, emb, text, regions, skips, upsampleSize);
            }
            return convOut.forward(convNormOut.forwardSilu(h));
        });
    }

    private static void addResiduals(List<NDArray> skips, List<NDArray> additions) {
        if (additions.size() != skips.size()) {
            throw new IllegalArgumentException("expected " + skips.size() + " down-block residuals, got "
                    + additions.size());
        }
        for (int i = 0; i < skips.size(); i++) {
            skips.set(i, skips.get(i).add(additions.get(i)));
        }
    }
}
