package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.IJ;
import ij.ImagePlus;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Consistency;
import io.fijigen.proto.v1.Refine;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import java.util.Locale;

/**
 * The UI-free core of "Refine Upscale...": the active image's current slice, or the bounds of its
 * selection, enlarged by the factor and repainted tile by tile by the engine
 * ({@code UpscaleRequest.refine}), as a new image whose pixels are smaller by the factor. How far the
 * result moved from the data (PSNR, SSIM of the result shrunk back against the input) goes to the Log
 * and, with the other parameters, to the image's Info.
 */
public final class RefineUpscaleAction {
    private final EngineClient client;

    public RefineUpscaleAction(EngineClient client) {
        this.client = client;
    }

    /** The request for {@code options} on {@code source}, the slice of {@code imp} it sends. */
    static UpscaleRequest request(RefineUpscaleOptions options, ImagePlus imp, SourceImage source) {
        Refine.Builder refine = Refine.newBuilder()
                .setModelId(options.modelId())
                .setControlnetId(options.controlNetId())
                .setTile(options.tile())
                .setSteps(options.steps());
        if (options.strength() != null) {
            refine.setStrength(options.strength());
        }
        if (options.overlap() != null) {
            refine.setTileOverlap(options.overlap());
        }
        if (options.guidance() != null) {
            refine.setGuidance(options.guidance());
        }
        UpscaleRequest.Builder request = UpscaleRequest.newBuilder()
                .setImage(ByteString.copyFrom(source.png(UpscaleAction.source(imp))))
                .setFloatOutput(source.grey())
                .setFactor(options.factor())
                .setPrompt(options.prompt())
                .setNegativePrompt(options.negativePrompt())
                .setRefine(refine);
        if (options.seed() != null && options.seed() >= 0) {
            request.setSeed(options.seed());
        }
        return request.build();
    }

    /**
     * Refines into a new image (not shown). Blocks until the job ends.
     *
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled
     * @throws EngineException when the engine failed
     */
    public Inserted run(RefineUpscaleOptions options, ImagePlus imp, JobListener listener) throws EngineException {
        return job(options, imp).run(client, listener);
    }

    /** The job for {@code options} on the plane {@code imp} shows (its selection's bounds, if any). */
    public static PlaneJob job(RefineUpscaleOptions options, ImagePlus imp) {
        SourceImage source = SourceImage.of(imp, imp.getC(), options.grey());
        return new PlaneJob(BatchJob.newBuilder().setUpscale(request(options, imp, source)).build(), result -> {
            Inserted inserted = UpscaleAction.newImage("refined x" + factor(options.factor()),
                    options.prompt(), options.seed(), imp, source, result);
            IJ.log("fijigen Refine Upscale: " + inserted.image().getTitle() + ": " + consistency(result));
            return inserted;
        });
    }

    /** 2, 1.5: as the engine writes a factor. */
    private static String factor(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** The result's data consistency as the Log says it. */
    static String consistency(Result result) {
        Consistency figures = result.getConsistency();
        return String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f against the input (the result shrunk back by"
                + " Lanczos)", figures.getPsnrDb(), figures.getSsim());
    }
}
