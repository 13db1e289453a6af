package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.Roi;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import java.awt.Rectangle;

/**
 * The UI-free core of "Upscale x4...": the active image's current slice, or the bounds of its
 * selection, as {@link SourceImage} sends it (RGB as shown, grey images as grey), becomes a new image
 * four times larger, in the image's type. The engine tiles large images itself.
 */
public final class UpscaleAction {
    private final EngineClient client;

    public UpscaleAction(EngineClient client) {
        this.client = client;
    }

    /** What is upscaled: the selection's bounds inside the image, or the whole image. */
    static Rectangle source(ImagePlus imp) {
        Rectangle image = new Rectangle(0, 0, imp.getWidth(), imp.getHeight());
        Roi roi = imp.getRoi();
        if (roi == null || !roi.isArea()) {
            return image;
        }
        Rectangle bounds = roi.getBounds().intersection(image);
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("the selection lies outside the image");
        }
        return bounds;
    }

    /** The request for {@code options} on {@code source}, the slice of {@code imp} it sends. */
    static UpscaleRequest request(UpscaleOptions options, ImagePlus imp, SourceImage source) {
        UpscaleRequest.Builder request = UpscaleRequest.newBuilder()
                .setImage(ByteString.copyFrom(source.png(source(imp))))
                .setFloatOutput(source.grey())
                .setModelId(options.modelId())
                .setPrompt(options.prompt())
                .setNegativePrompt(options.negativePrompt())
                .setSteps(options.steps());
        if (options.seed() != null && options.seed() >= 0) {
            request.setSeed(options.seed());
        }
        if (options.guidance() != null) {
            request.setGuidance(options.guidance());
        }
        if (options.noiseLevel() != null) {
            request.setNoiseLevel(options.noiseLevel());
        }
        return request.build();
    }

    /**
     * Upscales into a new image (not shown), with the calibration of the part upscaled: pixels a
     * quarter the size, the origin where the same physical coordinates map. Blocks until the job ends.
     *
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled
     * @throws EngineException when the engine failed
     */
    public Inserted run(UpscaleOptions options, ImagePlus imp, JobListener listener) throws EngineException {
        return job(options, imp).run(client, listener);
    }

    /** The job for {@code options} on the plane {@code imp} shows (its selection's bounds, if any). */
    public static PlaneJob job(UpscaleOptions options, ImagePlus imp) {
        SourceImage source = SourceImage.of(imp, imp.getC(), options.grey());
        return new PlaneJob(BatchJob.newBuilder().setUpscale(request(options, imp, source)).build(),
                result -> insert(options, imp, source, result));
    }

    private static Inserted insert(UpscaleOptions options, ImagePlus imp, SourceImage source, Result result)
            throws EngineException {
        return newImage("x4", options.prompt(), options.seed(), imp, source, result);
    }

    /**
     * The result as a new image titled {@code label} and the source's title, with the calibration of the
     * part upscaled (pixels smaller by the factor) and the parameters in its Info.
     */
    static Inserted newImage(String label, String prompt, Long requestedSeed, ImagePlus imp, SourceImage source,
            Result result) throws EngineException {
        long seed = Results.seed(result, requestedSeed);
        ImagePlus upscaled = Results.newImage(Results.pixels(result, source), prompt, seed,
                source.parameters(result.getParameters()));
        source.carryOver(upscaled, source(imp));
        String title = imp.getTitle();
        // An image the plugin made is marked once.
        if (title.startsWith(LayerInserter.NAME_PREFIX)) {
            title = title.substring(LayerInserter.NAME_PREFIX.length());
        }
        upscaled.setTitle(LayerInserter.NAME_PREFIX + label + " " + title);
        return new Inserted(upscaled, null, result, seed);
    }

    /** Cancels the running job, if any. */
    public void cancel() {
        client.cancel();
    }
}
