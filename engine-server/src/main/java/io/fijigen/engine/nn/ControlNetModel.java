package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code ControlNetModel}: a copy of the UNet's down path and mid block that also sees
 * the embedded control image, and turns every skip connection and the mid output into a residual
 * for the UNet through 1×1 "zero convs" ({@code controlnet_down_blocks}, {@code
 * controlnet_mid_block}).
 */
public final class ControlNetModel {
    private final ControlNetConfig config;
    private final DownPath downPath;
    private final ControlNetConditioningEmbedding condEmbedding;
    private final List<Conv2d> controlnetDownBlocks = new ArrayList<>();
    private final Conv2d controlnetMidBlock;

    public ControlNetModel(ControlNetConfig config, StateDict weights) {
        this.config = config;
        this.downPath = new DownPath(config.unet(), weights);
        this.condEmbedding = new ControlNetConditioningEmbedding(weights.scope("controlnet_cond_embedding"),
                config.conditioningEmbeddingOutChannels().length);
        int skips = 1 + config.unet().levels() * config.unet().layersPerBlock() + (config.unet().levels() - 1);
        for (int i = 0; i < skips; i++) {
            controlnetDownBlocks.add(Conv2d.same(weights.scope("controlnet_down_blocks." + i)));
        }
        this.controlnetMidBlock = Conv2d.same(weights.scope("controlnet_mid_block"));
    }

    public ControlNetConfig config() {
        return config;
    }

    /** A ControlNet without added conditions (SD 1.x/2.x). */
    public UNetResiduals forward(NDArray sample, NDArray timestep, NDArray text, NDArray controlImage, float scale,
            boolean guessMode) {
        return forward(sample, timestep, text, null, controlImage, scale, guessMode);
    }

    /**
     * @param added SDXL's text_embeds and time_ids, the same as the UNet's, for a ControlNet made
     *     from an SDXL UNet; null for others
     * @param controlImage [B, conditioning_channels, H, W] in [0, 1], at the image's pixel size
     * @param scale {@code conditioning_scale}
     * @param guessMode scale the residuals geometrically from 0.1 (first) to 1 (mid), as the
     *     reference's guess mode does
     * @return the residuals for the UNet, in {@code sample}'s manager
     */
    public UNetResiduals forward(NDArray sample, NDArray timestep, NDArray text, AddedConditions added,
            NDArray controlImage, float scale, boolean guessMode) {
        NDManager outer = sample.getManager();
        List<NDArray> down = new ArrayList<>();
        NDArray mid = Ops.scoped(sample, () -> {
            NDArray emb = downPath.embed(sample, timestep, null, null, added);
            NDArray condition = config.bgrConditioning()
                    ? controlImage.get(new NDIndex(":, ::-1")) : controlImage;
            NDArray embedded = condEmbedding.forward(condition);
            embedded.attach(sample.getManager());
            List<NDArray> skips = new ArrayList<>();
            NDArray h = downPath.down(downPath.convIn(sample).add(embedded), emb, text, null, skips);
            h = downPath.mid(h, emb, text, null);
            float[] scales = scales(skips.size() + 1, scale, guessMode);
            for (int i = 0; i < skips.size(); i++) {
                NDArray residual = Ops.scale(controlnetDownBlocks.get(i).forward(skips.get(i)), scales[i]);
                residual.attach(outer);
                down.add(residual);
            }
            return Ops.scale(controlnetMidBlock.forward(h), scales[skips.size()]);
        });
        return new UNetResiduals(down, mid);
    }

    /**
     * {@code conditioning_scale} for every residual, or with guess mode {@code
     * torch.logspace(-1, 0, n) · scale} (computed in double and rounded to float, as torch does).
     */
    static float[] scales(int count, float scale, boolean guessMode) {
        float[] scales = new float[count];
        double step = 1.0 / (count - 1);
        for (int i = 0; i < count; i++) {
            scales[i] = guessMode ? (float) Math.pow(10, -1 + step * i) * scale : scale;
        }
        return scales;
    }
}
