package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * What a UNet and a ControlNet share, under the same keys in both: the timestep embedding (with the
 * class embedding, or SDXL's added text and time embedding), {@code conv_in}, the down blocks and
 * the mid block. diffusers writes this part out
 * twice; here both models hold one.
 */
final class DownPath {
    private final UNet2DConditionConfig config;
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;
    /** Whether time_proj and time_embedding can run as one fused kernel. */
    private final boolean fusedTimeEmbedding;
    private final NDArray classEmbedding;
    /** {@code add_time_proj} and {@code add_embedding}: null without addition_embed_type "text_time". */
    private final Timesteps addTimeProj;
    private final TimestepEmbedding addEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock2D> downBlocks = new ArrayList<>();
    private final UNetMidBlock2DCrossAttn midBlock;

    DownPath(UNet2DConditionConfig config, StateDict weights) {
        this.config = config;
        this.timeProj = new Timesteps(config.blockOutChannels()[0], config.flipSinToCos(), config.freqShift(),
                weights.manager());
        this.timeEmbedding = new TimestepEmbedding(weights.scope("time_embedding"), config.timeCondProjDim());
        this.fusedTimeEmbedding = timeProj.fusable() && timeEmbedding.fusable();
        this.classEmbedding = config.numClassEmbeds() != null ? weights.get("class_embedding.weight") : null;
        UNet2DConditionConfig.TextTimeEmbedding textTime = config.textTime();
        this.addTimeProj = textTime == null ? null
                : new Timesteps(textTime.timeEmbedDim(), config.flipSinToCos(), config.freqShift(), weights.manager());
        this.addEmbedding = textTime == null ? null : new TimestepEmbedding(weights.scope("add_embedding"));
        this.convIn = Conv2d.same(weights.scope("conv_in"));
        for (int i = 0; i < config.levels(); i++) {
            BlockSettings settings = settings(config, i, config.layersPerBlock(), config.resnetOutScaleFactor());
            StateDict block = weights.scope("down_blocks." + i);
            downBlocks.add(config.downBlockTypes().get(i).equals("CrossAttnDownBlock2D")
                    ? new CrossAttnDownBlock2D(block, settings)
                    : new DownBlock2D(block, settings));
        }
        this.midBlock = new UNetMidBlock2DCrossAttn(weights.scope("mid_block"),
                settings(config, config.levels() - 1, 1, config.midBlockScaleFactor()));
    }

    /** The settings of one level's block, as diffusers passes them to {@code get_down_block} and friends. */
    static BlockSettings settings(UNet2DConditionConfig config, int level, int layers, double outputScaleFactor) {
        return new BlockSettings(layers, config.normNumGroups(), config.normEps(), outputScaleFactor,
                config.downsamplePadding(), config.attentionHeads()[level], config.transformerLayersPerBlock()[level],
                config.useLinearProjection(), config.onlyCrossAttention()[level],
                config.upcastAttention());
    }

    /**
     * Checks the inputs and returns the timestep embedding [B, time_embed_dim] (conditioned on {@code
     * timestepCond} when given), plus the class embedding or the added text and time embedding.
     */
    NDArray embed(NDArray sample, NDArray timestep, NDArray classLabels, NDArray timestepCond,
            AddedConditions added) {
        if (sample.getShape().get(1) != config.inChannels()) {
            throw new IllegalArgumentException("expected " + config.inChannels() + " input channels, got "
                    + sample.getShape().get(1));
        }
        if ((classLabels == null) != (classEmbedding == null)) {
            throw new IllegalArgumentException(classEmbedding == null
                    ? "this model takes no class labels"
                    : "this model needs class labels (num_class_embeds = " + config.numClassEmbeds() + ")");
        }
        if ((added == null) != (addEmbedding == null)) {
            throw new IllegalArgumentException(addEmbedding == null
                    ? "this model takes no added conditions (text_embeds, time_ids)"
                    : "this model needs text_embeds and time_ids (addition_embed_type \"text_time\")");
        }
        long batch = sample.getShape().get(0);
        NDArray timesteps = timestep.getShape().isScalar() ? timestep.broadcast(new Shape(batch)) : timestep;
        TorchScriptKernels fused = Ops.blockKernels();
        NDArray emb;
        if (fused != null && fusedTimeEmbedding && timestepCond == null) {
            List<NDArray> weights = new ArrayList<>();
            timeEmbedding.appendTo(weights);
            emb = fused.timeEmbedding(timesteps, timeProj.frequencies(), weights, timeProj.flipSinToCos());
        } else {
            // As diffusers: the float32 sinusoids take the network's type before the MLP.
            emb = timeEmbedding.forward(timeProj.forward(timesteps).toType(timeEmbedding.dtype(), false),
                    timestepCond);
        }
        if (classLabels != null) {
            emb = emb.add(Ops.embedding(classLabels.toType(DataType.INT64, false), classEmbedding));
        }
        return added == null ? emb : withAddedEmbedding(emb, added);
    }

    /**
     * {@code emb + add_embedding(cat(text_embeds, add_time_proj(time_ids) per id, flattened))}. The
     * reference concatenates the text in its type with float32 sinusoids and casts the whole to the
     * network's type; casting each side first gives the same values. The conditions belong to the
     * caller (usually the job): their intermediates are made in a scope of the step's embedding.
     */
    private NDArray withAddedEmbedding(NDArray emb, AddedConditions added) {
        NDArray text = added.textEmbeds();
        NDArray timeIds = added.timeIds();
        long batch = text.getShape().get(0);
        long width = text.getShape().get(1) + timeIds.getShape().get(1) * config.textTime().timeEmbedDim();
        if (width != config.textTime().inputDim()) {
            throw new IllegalArgumentException("text_embeds " + text.getShape() + " and time_ids " + timeIds.getShape()
                    + " embed to " + width + " values, the model's add_embedding takes "
                    + config.textTime().inputDim() + " (projection_class_embeddings_input_dim)");
        }
        try (NDManager scope = emb.getManager().newSubManager()) {
            text.tempAttach(scope);
            timeIds.tempAttach(scope);
            DataType type = addEmbedding.dtype();
            NDArray times = addTimeProj.forward(timeIds.flatten()).reshape(batch, -1).toType(type, false);
            return emb.add(addEmbedding.forward(text.toType(type, false).concat(times, 1)));
        }
    }

    NDArray convIn(NDArray sample) {
        return convIn.forwardInput(config.centerInputSample() ? sample.mul(2).sub(1) : sample);
    }

    /** Runs the down blocks from {@code h} (conv_in's output, the first skip); the skips go to {@code skips}. */
    NDArray down(NDArray h, NDArray emb, NDArray text, RegionalText regions, List<NDArray> skips) {
        skips.add(h);
        for (DownBlock2D block : downBlocks) {
            h = block.forward(h, emb, text, regions, skips);
        }
        return h;
    }

    NDArray mid(NDArray h, NDArray emb, NDArray text, RegionalText regions) {
        return midBlock.forward(h, emb, text, regions);
    }
}
