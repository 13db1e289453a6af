package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import java.util.List;

/**
 * The UI-free core of the "Generate..." command: options → request → engine → image.
 *
 * <ul>
 *   <li>img2img ({@link GenerateOptions#useActiveImage()}): the active image's current slice is the
 *       init image, as {@link SourceImage} sends it (RGB as shown, grey images as grey); the result
 *       becomes a layer on the active image at (0, 0) (see {@link LayerInserter}), its pixels
 *       untouched: RGB, or for a grey image grey values in its type.
 *   <li>txt2img: the result becomes a new RGB image titled after the layer name
 *       ({@code [fijigen] prompt · seed n}); there is nothing to lay it over.
 *   <li>Several variants become a stack in a new image in both cases (img2img's: in the active
 *       image's type and calibration).
 * </ul>
 */
public final class GenerateAction {
    private final EngineClient client;

    public GenerateAction(EngineClient client) {
        this.client = client;
    }

    /** What img2img sends of {@code active}: its current slice (and channel) as {@code options} say. */
    public static SourceImage source(GenerateOptions options, ImagePlus active) {
        if (active == null) {
            throw new IllegalArgumentException("img2img needs an open image");
        }
        return SourceImage.of(active, active.getC(), options.grey());
    }

    /**
     * {@code options} with the regions among {@code rois} ({@link RoiRegions}), their masks at the
     * size generated: img2img's, the active image's; txt2img's, the size asked for, or where none
     * is, the active image's (the one the ROIs were drawn on), which it then asks for. ROIs are
     * drawn on the active image: a txt2img of another size gets them scaled to it.
     */
    public static GenerateOptions withRegions(GenerateOptions options, Roi[] rois, ImagePlus active) {
        List<Roi> named = RoiRegions.named(rois);
        if (named.isEmpty()) {
            return options;
        }
        GenerateOptions sized = options;
        if (options.useActiveImage() || options.width() == 0 || options.height() == 0) {
            if (active == null) {
                throw new IllegalArgumentException("regions need the image's size: give Width and Height, or open"
                        + " the image the ROIs were drawn on");
            }
            sized = options.useActiveImage() ? options : options.withSize(active.getWidth(), active.getHeight());
        }
        int width = sized.useActiveImage() ? active.getWidth() : sized.width();
        int height = sized.useActiveImage() ? active.getHeight() : sized.height();
        // Drawn on the active image, at its size; with none, at the size asked for.
        return sized.withRegions(active == null ? RoiRegions.of(named, width, height)
                : RoiRegions.of(named, active.getWidth(), active.getHeight(), width, height));
    }

    /** The request for {@code options}, with {@code source} as init image for img2img (null for txt2img). */
    public static GenerateRequest request(GenerateOptions options, SourceImage source) {
        GenerateRequest.Builder request = options.generation().request()
                .setWidth(options.width())
                .setHeight(options.height());
        if (options.useActiveImage()) {
            request.setInitImage(ByteString.copyFrom(source.png(source.bounds()))).setFloatOutput(source.grey());
            if (options.strength() != null) {
                request.setStrength(options.strength());
            }
        }
        if (options.hires() != null) {
            request.setHires(options.hires().toProto());
        }
        return request.addAllRegions(options.regions()).build();
    }

    /**
     * Generates and inserts the result. Blocks until the job ends; {@link #cancel()} (from another
     * thread or from {@code listener}) ends it early.
     *
     * @param active the active image (img2img's source and target); may be null for txt2img
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled: nothing was
     *     inserted
     * @throws EngineException when the engine failed (its message is for the user)
     */
    public Inserted run(GenerateOptions options, ImagePlus active, JobListener listener)
            throws EngineException {
        return job(options, active).run(client, listener);
    }

    /** The job for {@code options} on the plane {@code active} shows (null for txt2img). */
    public static PlaneJob job(GenerateOptions options, ImagePlus active) {
        SourceImage source = options.useActiveImage() ? source(options, active) : null;
        return new PlaneJob(BatchJob.newBuilder().setGenerate(request(options, source)).build(),
                result -> insert(options, active, source, result));
    }

    private static Inserted insert(GenerateOptions options, ImagePlus active, SourceImage source, Result result)
            throws EngineException {
        Generation generation = options.generation();
        List<ImageProcessor> images = Results.pixels(result, source);
        long seed = Results.seed(result, generation.seed());
        if (source == null) {
            return Inserted.variants(Results.newImage(images, generation.prompt(), seed, result.getParameters()),
                    result, seed, generation, false);
        }
        String parameters = source.parameters(result.getParameters());
        if (images.size() == 1) {
            ImageRoi layer = LayerInserter.insert(active, source.channel(), images.get(0), 0, 0, generation.prompt(),
                    seed, parameters);
            return new Inserted(active, layer, result, seed);
        }
        ImagePlus variants = Results.newImage(images, generation.prompt(), seed, parameters);
        source.carryOver(variants, source.bounds());
        return Inserted.variants(variants, result, seed, generation, false);
    }

    /** Cancels the running generation, if any. */
    public void cancel() {
        client.cancel();
    }
}
