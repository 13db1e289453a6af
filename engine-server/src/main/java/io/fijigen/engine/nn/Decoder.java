package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/** diffusers' VAE {@code Decoder}: latents → image, with layers_per_block + 1 resnets per level. */
public final class Decoder {
    private final Conv2d convIn;
    private final UNetMidBlock2D midBlock;
    private final List<UpDecoderBlock2D> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public Decoder(AutoencoderKLConfig config, StateDict weights) {
        int groups = config.normNumGroups();
        this.convIn = Conv2d.same(weights.scope("conv_in"));
        this.midBlock = new UNetMidBlock2D(weights.scope("mid_block"), groups, Encoder.EPS, config.midBlockAddAttention());
        for (int i = 0; i < config.blockOutChannels().length; i++) {
            upBlocks.add(new UpDecoderBlock2D(weights.scope("up_blocks." + i), config.layersPerBlock() + 1, groups,
                    Encoder.EPS));
        }
        this.convNormOut = new GroupNorm(weights.scope("conv_norm_out"), groups, Encoder.EPS);
        this.convOut = Conv2d.same(weights.scope("conv_out"));
    }

    public NDArray forward(NDArray latents) {
        return Ops.scoped(latents, () -> {
            NDArray h = midBlock.forward(convIn.forwardInput(latents));
            for (UpDecoderBlock2D block : upBlocks) {
                h = block.forward(h);
            }
            return convOut.forward(convNormOut.forwardSilu(h));
        });
    }
}
