package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UNet2DConditionModel}: the noise predictor of SD 1.x/2.x, the 9-channel
 * inpainting UNet and the x4 upscaler's 7-channel UNet with class labels for the noise level.
 */
public final class UNet2DConditionModel {
    private final UNet2DConditionConfig config;
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final NDArray classEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock2D> downBlocks = new ArrayList<>();
    private final UNetMidBlock2DCrossAttn midBlock;
    private final List<UpBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public UNet2DConditionModel(UNet2DConditionConfig config, StateDict weights) {
        this.config = config;
        int levels = config.levels();
        this.timeProj = new Timesteps(config.blockOutChannels()[0], config.flipSinToCos(), config.freqShift());
        this.timeEmbedding = new TimestepEmbedding(weights.scope("time_embedding"));
        this.classEmbedding = config.numClassEmbeds() != null ? weights.get("class_embedding.weight") : null;
        this.convIn = Conv2d.same(weights.scope("conv_in"));
        for (int i = 0; i < levels; i++) {
            BlockSettings settings = settings(i, config.layersPerBlock(), config.resnetOutScaleFactor());
            StateDict block = weights.scope("down_blocks." + i);
            downBlocks.add(config.downBlockTypes().get(i).equals("CrossAttnDownBlock2D")
                    ? new CrossAttnDownBlock2D(block, settings)
                    : new DownBlock2D(block, settings));
        }
        this.midBlock = new UNetMidBlock2DCrossAttn(weights.scope("mid_block"),
                settings(levels - 1, 1, config.midBlockScaleFactor()));
        for (int i = 0; i < levels; i++) {
            BlockSettings settings = settings(config.upLevel(i), config.layersPerBlock() + 1,
                    config.resnetOutScaleFactor());
            StateDict block = weights.scope("up_blocks." + i);
            upBlocks.add(config.upBlockTypes().get(i).equals("CrossAttnUpBlock2D")
                    ? new CrossAttnUpBlock2D(block, settings)
                    : new UpBlock2D(block, settings));
        }
        this.convNormOut = new GroupNorm(weights.scope("conv_norm_out"), config.normNumGroups(), config.normEps());
        this.convOut = Conv2d.same(weights.scope("conv_out"));
    }

    public UNet2DConditionConfig config() {
        return config;
    }

    public NDArray forward(NDArray sample, NDArray timestep, NDArray text) {
        return forward(sample, timestep, text, null, null);
    }

    /**
     * @param sample [B, in_channels, h, w] latents
     * @param timestep a scalar or [B]
     * @param text [B, 77, cross_attention_dim] encoder hidden states
     * @param classLabels [B] int64, for a UNet with class embeddings (the upscaler's noise level)
     * @param residuals a ControlNet's additions, or null
     * @return the model output, [B, out_channels, h, w]
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray text, NDArray classLabels,
            UNetResiduals residuals) {
        if (sample.getShape().get(1) != config.inChannels()) {
            throw new IllegalArgumentException("UNet expects " + config.inChannels() + " input channels, got "
                    + sample.getShape().get(1));
        }
        if ((classLabels == null) != (classEmbedding == null)) {
            throw new IllegalArgumentException(classEmbedding == null
                    ? "this UNet takes no class labels"
                    : "this UNet needs class labels (num_class_embeds = " + config.numClassEmbeds() + ")");
        }
        long batch = sample.getShape().get(0);
        return Ops.scoped(sample, () -> {
            NDArray timesteps = timestep.getShape().isScalar() ? timestep.broadcast(new Shape(batch)) : timestep;
            NDArray emb = timeEmbedding.forward(timeProj.forward(timesteps));
            if (classLabels != null) {
                emb = emb.add(Ops.embedding(classLabels.toType(DataType.INT64, false), classEmbedding));
            }
            NDArray h = config.centerInputSample() ? sample.mul(2).sub(1) : sample;
            h = convIn.forward(h);
            List<NDArray> skips = new ArrayList<>();
            skips.add(h);
            for (DownBlock2D block : downBlocks) {
                h = block.forward(h, emb, text, skips);
            }
            if (residuals != null) {
                addResiduals(skips, residuals.down());
            }
            h = midBlock.forward(h, emb, text);
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
                h = block.forward(h, emb, text, skips, upsampleSize);
            }
            return convOut.forward(Ops.silu(convNormOut.forward(h)));
        });
    }

    private BlockSettings settings(int level, int layers, double outputScaleFactor) {
        return new BlockSettings(layers, config.normNumGroups(), config.normEps(), outputScaleFactor,
                config.downsamplePadding(), config.attentionHeads()[level], config.transformerLayersPerBlock()[level],
                config.useLinearProjection(), config.onlyCrossAttention()[level]);
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
