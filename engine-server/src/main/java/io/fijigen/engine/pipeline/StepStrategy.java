package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.nn.UNetResiduals;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pipeline adds to each step of the shared loop; the reference pipelines differ only here.
 * Arrays a method returns belong to the manager of its first array argument.
 */
public interface StepStrategy {
    StepStrategy NONE = new StepStrategy() {};

    /** The UNet's input from the scaled latents (both guidance halves): 9-channel inpainting appends its channels. */
    default NDArray unetInput(NDArray scaled, int index) {
        return scaled;
    }

    /** Class labels for a UNet with class embeddings (the upscaler's noise level), int64, or null. */
    default NDArray classLabels() {
        return null;
    }

    /**
     * Residuals for the UNet at loop step {@code step} (0-based, of {@code total}), or null: what
     * ControlNets add.
     */
    default UNetResiduals residuals(NDArray scaled, NDArray timestep, Conditioning conditioning, int step,
            int total) {
        return null;
    }

    /** The latents after the scheduler's step at {@code index}: 4-channel inpainting blends the known region back. */
    default NDArray afterStep(NDArray latents, int index) {
        return latents;
    }

    /** Both strategies: inputs and blends applied in order, residuals summed. */
    default StepStrategy and(StepStrategy next) {
        StepStrategy first = this;
        return new StepStrategy() {
            @Override
            public NDArray unetInput(NDArray scaled, int index) {
                return next.unetInput(first.unetInput(scaled, index), index);
            }

            @Override
            public UNetResiduals residuals(NDArray scaled, NDArray timestep, Conditioning conditioning, int step,
                    int total) {
                return sum(first.residuals(scaled, timestep, conditioning, step, total),
                        next.residuals(scaled, timestep, conditioning, step, total));
            }

            @Override
            public NDArray classLabels() {
                return first.classLabels() != null ? first.classLabels() : next.classLabels();
            }

            @Override
            public NDArray afterStep(NDArray latents, int index) {
                return next.afterStep(first.afterStep(latents, index), index);
            }
        };
    }

    /** Residuals added element-wise; null counts as none. */
    static UNetResiduals sum(UNetResiduals a, UNetResiduals b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        List<NDArray> down = new ArrayList<>();
        for (int i = 0; i < a.down().size(); i++) {
            down.add(a.down().get(i).add(b.down().get(i)));
        }
        return new UNetResiduals(down, a.mid().add(b.mid()));
    }
}
