package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.nn.UNetResiduals;
import io.fijigen.engine.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference ControlNet pipelines' step: each active unit turns the step's latents and its
 * control image into residuals; several units sum theirs. A unit outside its guidance window
 * adds nothing (the reference runs it at scale 0, which adds zeros).
 */
final class ControlNetGuidance implements StepStrategy {
    private final List<ControlUnit> units;
    private final List<NDArray> images = new ArrayList<>();
    private final boolean guided;
    private final StepListener listener;

    /**
     * Prepares each unit's control image as the reference's {@code prepare_image}: at the
     * generation size (Lanczos-resampled if it is not, as the reference resizes the images users
     * give it; it does so in 8 bits, we in float), one per image, doubled for the guidance batch
     * unless the unit runs in guess mode. Each unit's call is a cancellation point of {@code listener}.
     */
    ControlNetGuidance(List<ControlUnit> units, int numImages, long height, long width, boolean guided,
            NDManager manager, StepListener listener) {
        this.units = units;
        this.guided = guided;
        this.listener = listener;
        for (ControlUnit unit : units) {
            HostTensor source = unit.image();
            if (source.dim(2) != height || source.dim(3) != width) {
                source = ImageResize.lanczos(source, (int) height, (int) width);
            }
            NDArray image = source.toNDArray(manager);
            if (numImages > 1) {
                image = replace(image, image.repeat(0, numImages));
            }
            if (guided && !unit.guessMode()) {
                image = replace(image, image.concat(image, 0));
            }
            images.add(image);
        }
    }

    private static NDArray replace(NDArray old, NDArray next) {
        old.close();
        return next;
    }

    @Override
    public UNetResiduals residuals(NDArray scaled, NDArray timestep, Conditioning conditioning, int step,
            int total) {
        UNetResiduals sum = null;
        for (int i = 0; i < units.size(); i++) {
            ControlUnit unit = units.get(i);
            if (!unit.activeAt(step, total)) {
                continue;
            }
            listener.stopIfCancelled("before ControlNet unit " + (i + 1) + " of step " + (step + 1));
            boolean conditionalOnly = unit.guessMode() && guided;
            NDManager stepManager = scaled.getManager();
            NDArray input = conditionalOnly ? Conditioning.secondHalf(scaled, stepManager) : scaled;
            Conditioning unitConditioning = conditionalOnly ? conditioning.conditionalHalf(stepManager) : conditioning;
            UNetResiduals residuals = unit.model().forward(input, timestep, unitConditioning.text(),
                    unitConditioning.added(), images.get(i), unit.scale(), unit.guessMode());
            sum = StepStrategy.sum(sum, conditionalOnly ? zeroUnconditional(residuals) : residuals);
        }
        return sum;
    }


    /** Guess mode: the unconditional half gets no control (zeros), as the reference concatenates. */
    private static UNetResiduals zeroUnconditional(UNetResiduals residuals) {
        List<NDArray> down = new ArrayList<>();
        for (NDArray residual : residuals.down()) {
            down.add(residual.zerosLike().concat(residual, 0));
        }
        return new UNetResiduals(down, residuals.mid().zerosLike().concat(residuals.mid(), 0));
    }
}
