package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Outpaint;
import io.fijigen.proto.v1.OutpaintFill;
import io.fijigen.proto.v1.Result;
import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

/**
 * The UI-free core of "Expand Canvas...": the active image's current slice, as {@link SourceImage}
 * sends it, grown by the engine (outpainting) into a new image, since an overlay cannot reach beyond
 * its image. The engine paints the new border and the overlap and pastes its result back, so the
 * image's pixels beyond overlap + feather are its own; the new image's selection is the border, the
 * region that is not the original.
 */
public final class ExpandAction {
    private final EngineClient client;

    public ExpandAction(EngineClient client) {
        this.client = client;
    }

    /** The request for {@code options} on the whole of {@code source}. */
    static GenerateRequest request(ExpandOptions options, SourceImage source) {
        Rectangle whole = new Rectangle(0, 0, source.pixels().getWidth(), source.pixels().getHeight());
        GenerateRequest.Builder request = options.generation().request()
                .setInitImage(ByteString.copyFrom(source.png(whole)))
                .setFloatOutput(source.grey())
                .setMaskBlur(options.maskBlur())
                .setOutpaint(Outpaint.newBuilder()
                        .setLeft(options.left())
                        .setTop(options.top())
                        .setRight(options.right())
                        .setBottom(options.bottom())
                        .setOverlap(options.overlap())
                        .setFill(OutpaintFill.valueOf("OUTPAINT_FILL_" + options.fill().toUpperCase(Locale.ROOT))));
        if (options.strength() != null) {
            request.setStrength(options.strength());
        }
        return request.build();
    }

    /** The grown image's region that is not the original: the new border, as one (composite) selection. */
    static Roi border(ExpandOptions options, int imageWidth, int imageHeight) {
        ShapeRoi canvas = new ShapeRoi(new Roi(0, 0, options.left() + imageWidth + options.right(),
                options.top() + imageHeight + options.bottom()));
        return canvas.not(new ShapeRoi(new Roi(options.left(), options.top(), imageWidth, imageHeight)));
    }

    /**
     * Expands {@code imp}'s current slice into a new image (not shown). Blocks until the job ends.
     *
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled: nothing made
     * @throws EngineException when the engine failed
     */
    public Inserted run(ExpandOptions options, ImagePlus imp, JobListener listener) throws EngineException {
        return job(options, imp).run(client, listener);
    }

    /** The job for {@code options} on the plane {@code imp} shows. */
    public static PlaneJob job(ExpandOptions options, ImagePlus imp) {
        SourceImage source = SourceImage.of(imp, imp.getC(), options.grey());
        return new PlaneJob(BatchJob.newBuilder().setGenerate(request(options, source)).build(),
                result -> insert(options, imp, source, result));
    }

    private static Inserted insert(ExpandOptions options, ImagePlus imp, SourceImage source, Result result)
            throws EngineException {
        Generation generation = options.generation();
        List<ImageProcessor> images = Results.pixels(result, source);
        long seed = Results.seed(result, generation.seed());
        ImagePlus expanded = Results.newImage(images, generation.prompt(), seed,
                source.parameters(result.getParameters()));
        int width = imp.getWidth();
        int height = imp.getHeight();
        source.carryOver(expanded, new Rectangle(-options.left(), -options.top(), expanded.getWidth(),
                expanded.getHeight()));
        String title = imp.getTitle();
        // An image the plugin made is marked once.
        if (title.startsWith(LayerInserter.NAME_PREFIX)) {
            title = title.substring(LayerInserter.NAME_PREFIX.length());
        }
        expanded.setTitle(LayerInserter.NAME_PREFIX + "expanded " + title);
        expanded.setRoi(border(options, width, height));
        return images.size() > 1 ? Inserted.variants(expanded, result, seed, generation, false)
                : new Inserted(expanded, null, result, seed);
    }

    /** Cancels the running job, if any. */
    public void cancel() {
        client.cancel();
    }
}
