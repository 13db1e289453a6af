package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/** diffusers' VAE {@code Encoder}: image → 2·latent_channels moments (mean and log-variance). */
public final class Encoder {
    /** The VAE's norms use 1e-6 throughout, unlike the UNet's configurable {@code norm_eps}. */
    static final double EPS = 1e-6;

    private final Conv2d convIn;
    private final List<DownEncoderBlock2D> downBlocks = new ArrayList<>();
    private final UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public Encoder(AutoencoderKLConfig config, StateDict weights) {
        int groups = config.normNumGroups();
        this.convIn = Conv2d.same(weights.scope("conv_in"));
        for (int i = 0; i < config.blockOutChannels().length; i++) {
            downBlocks.add(new DownEncoderBlock2D(weights.scope("down_blocks." + i), config.layersPerBlock(), groups, EPS));
        }
        this.midBlock = new UNetMidBlock2D(weights.scope("mid_block"), groups, EPS, config.midBlockAddAttention());
        this.convNormOut = new GroupNorm(weights.scope("conv_norm_out"), groups, EPS);
        this.convOut = Conv2d.same(weights.scope("conv_out"));
    }

    public NDArray forward(NDArray image) {
        return Ops.scoped(image, () -> {
            NDArray h = convIn.forwardInput(image);
            for (DownEncoderBlock2D block : downBlocks) {
                h = block.forward(h);
            }
            h = midBlock.forward(h);
            return convOut.forward(convNormOut.forwardSilu(h));
        });
    }
}
