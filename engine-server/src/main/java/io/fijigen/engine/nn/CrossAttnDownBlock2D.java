package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/** diffusers' {@code CrossAttnDownBlock2D}: a {@link DownBlock2D} with a transformer after each resnet. */
public final class CrossAttnDownBlock2D extends DownBlock2D {
    private final List<Transformer2DModel> attentions;

    public CrossAttnDownBlock2D(StateDict weights, BlockSettings settings) {
        super(weights, settings);
        this.attentions = settings.transformers(weights);
    }

    @Override
    protected NDArray afterResnet(int i, NDArray h, NDArray text, RegionalText regions) {
        return attentions.get(i).forward(h, text, regions);
    }
}
