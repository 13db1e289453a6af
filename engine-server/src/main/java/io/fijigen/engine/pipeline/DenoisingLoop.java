package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.nn.UNetResiduals;
import io.fijigen.engine.schedule.NoiseSource;
import io.fijigen.engine.schedule.Scheduler;
import java.util.concurrent.CancellationException;

/**
 * The denoising loop every pipeline shares: for each timestep from {@code startIndex}, the UNet
 * predicts the noise (both halves of the guidance batch in one call), guidance mixes them, the
 * scheduler steps. Each step's intermediates live in its own NDManager, freed before the next
 * step begins; only the new latents (and the scheduler's history) stay in the job's manager.
 */
public final class DenoisingLoop {
    private final UNet2DConditionModel unet;
    private final double guidance;
    private final boolean guided;
    private final Tiling tiling;

    /**
     * {@code guidance} ≤ 1 means no unconditional pass, as in the reference; so does a UNet with
     * {@code time_cond_proj_dim}, which is given the guidance as an embedding instead (diffusers'
     * {@code do_classifier_free_guidance}). {@code tiling}, when not null, runs the UNet tile by tile
     * (large upscales).
     */
    public DenoisingLoop(UNet2DConditionModel unet, double guidance, Tiling tiling) {
        this.unet = unet;
        this.guidance = guidance;
        this.guided = guidance > 1 && unet.config().timeCondProjDim() == null;
        this.tiling = tiling;
    }

    public boolean guided() {
        return guided;
    }

    private static NDArray local(NDArray array, NDManager step) {
        array.attach(step);
        return array;
    }

    /**
     * @param latents the starting latents, owned by {@code job}; closed once replaced
     * @param conditioning what the prompt gives the UNet ([negative; positive] when guided)
     * @param strategy what the pipeline adds to each step
     * @return the final latents, in {@code job}
     */
    public NDArray run(NDManager job, Scheduler scheduler, int startIndex, NDArray latents, Conditioning conditioning,
            NoiseSource noise, StepStrategy strategy, StepListener listener) {
        double[] timesteps = scheduler.timesteps();
        int total = timesteps.length - startIndex;
        NDArray current = latents;
        // Made once: a Java scalar in an op is a new tensor each time (on a GPU, a copy to it).
        NDArray guidanceScale = job.create((float) guidance);
        NDArray allTimesteps = job.create(toFloats(timesteps));
        Integer condWidth = unet.config().timeCondProjDim();
        NDArray timestepCond = condWidth == null ? null
                : GuidanceScaleEmbedding.of(guidance, condWidth, latents.getShape().get(0), job);
        try {
            for (int index = startIndex; index < timesteps.length; index++) {
                int stepNumber = index - startIndex + 1;
                listener.stopIfCancelled("before step " + stepNumber + " of " + total);
                NDArray next;
                try (NDManager step = job.newSubManager()) {
                    // The latents stay in the job's manager: the scheduler keeps its history in a child
                    // of their manager, which must outlive the step. Everything else here is the step's.
                    NDArray modelInput = guided ? local(current.concat(current, 0), step) : current;
                    NDArray scaled = scheduler.scaleModelInput(modelInput, index);
                    if (scaled != current) {
                        scaled.attach(step);
                    }
                    NDArray timestep = local(allTimesteps.get(index), step);
                    UNetResiduals residuals = strategy.residuals(scaled, timestep, conditioning, stepNumber - 1,
                            total);
                    NDArray unetInput = strategy.unetInput(scaled, index);
                    NDArray labels = strategy.classLabels();
                    listener.stopIfCancelled("before the UNet of step " + stepNumber);
                    // Guidance and the scheduler work in float32 on latents kept in float32, whatever
                    // the UNet's type: an fp16 model takes them in fp16 at its input layer.
                    NDArray output = local(tiling == null
                            ? unet.forward(unetInput, timestep, conditioning.text(), labels, timestepCond,
                                    conditioning.added(), residuals, conditioning.regions())
                            : tiling.apply(unetInput, 1, tile -> {
                                listener.stopIfCancelled("between UNet tiles of step " + stepNumber);
                                // Only the upscaler tiles, and it takes no regional prompts.
                                return unet.forward(tile, timestep, conditioning.text(), labels, timestepCond,
                                        conditioning.added(), residuals, null);
                            }),
                            step);
                    NDArray prediction = local(output.toType(DataType.FLOAT32, false), step);
                    if (guided) {
                        NDList halves = prediction.split(2, 0);
                        NDArray unconditional = halves.get(0);
                        prediction = unconditional.add(halves.get(1).sub(unconditional).mul(guidanceScale));
                    }
                    next = scheduler.step(prediction, index, current, noise);
                }
                NDArray blended = strategy.afterStep(next, index);
                if (blended != next) {
                    next.close();
                    next = blended;
                }
                if (next != current) {
                    current.close();
                }
                current = next;
                if (!listener.onStep(stepNumber, total, current)) {
                    current.close();
                    throw new CancellationException("cancelled after step " + stepNumber + " of " + total);
                }
            }
        } finally {
            guidanceScale.close();
            allTimesteps.close();
            if (timestepCond != null) {
                timestepCond.close();
            }
        }
        return current;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
