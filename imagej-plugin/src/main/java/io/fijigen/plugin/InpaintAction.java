package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.plugin.filter.EDM;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import java.awt.Rectangle;
import java.util.List;

/**
 * The UI-free core of "Inpaint Selection...": the active image's selection (any area ROI,
 * composite ones included) is repainted by the engine, and the result becomes a layer over the
 * selection.
 *
 * <p>The engine composites its result into what it was sent (its paste-back): beyond the grown
 * and feathered selection every pixel is the input's own, bit for bit, and the feather is blended
 * into the returned pixels. So the layer is the engine's composite, cut to the selection's bounds
 * grown by the reach of the grow and the feather, with the grown and feathered selection's
 * footprint as its alpha, or for a grey image the image's own values beyond it (see
 * {@link #footprint}): it shows exactly what the engine made, and Apply Layer leaves every pixel
 * beyond the feather untouched.
 *
 * <p>What is sent: with {@link InpaintOptions#onlyMasked()} the whole image (the engine cuts out
 * the selection's surroundings itself and scales them to the generation size); otherwise only the
 * selection's surroundings (bounds, reach and padding), at the image's resolution, snapped to the
 * multiples of 8 the networks need, so any image size works. Where the image is too small around
 * the selection for that, the only-masked mode at the surroundings' own size (rounded up to a
 * multiple of 8) stands in.
 */
public final class InpaintAction {
    /** The networks work on sides that are multiples of this. */
    static final int MULTIPLE = 8;

    private final EngineClient client;

    public InpaintAction(EngineClient client) {
        this.client = client;
    }

    /**
     * The image region sent to the engine: {@code wanted} (the selection with its reach and padding,
     * inside the image) with its sides rounded up to multiples of 8, moved back inside the image
     * where it sticks out. Null when the image is too small for that in a direction whose side is
     * not a multiple of 8: then only a scaled crop can be sent (the only-masked mode).
     */
    static Rectangle snappedRegion(Rectangle wanted, int imageWidth, int imageHeight) {
        int width = roundUp(wanted.width);
        int height = roundUp(wanted.height);
        if (width > imageWidth || height > imageHeight) {
            return null;
        }
        return new Rectangle(Math.min(wanted.x, imageWidth - width), Math.min(wanted.y, imageHeight - height),
                width, height);
    }

    private static int roundUp(int value) {
        return (value + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    }

    /**
     * The request for {@code options} on {@code imp}'s selection, sending {@code region} of
     * {@code source} (the image's slice as the options send it).
     */
    static GenerateRequest request(InpaintOptions options, ImagePlus imp, SourceImage source, Rectangle region) {
        ImageProcessor mask = imp.createRoiMask();
        mask.setRoi(region);
        GenerateRequest.Builder request = options.generation().request()
                .setInitImage(ByteString.copyFrom(source.png(region)))
                .setFloatOutput(source.grey())
                .setMask(ByteString.copyFrom(ImageConversion.toPng((ColorProcessor) mask.crop().convertToRGB())))
                .setMaskBlur(options.maskBlur())
                .setMaskGrow(options.maskGrow())
                .setOnlyMasked(options.onlyMasked());
        if (options.onlyMasked()) {
            request.setPadding(options.padding()).setWidth(options.width()).setHeight(options.height());
        }
        if (options.strength() != null) {
            request.setStrength(options.strength());
        }
        return request.build();
    }

    /**
     * Where a job for {@code options} on {@code imp}'s selection works.
     *
     * @param options the options as sent (the only-masked mode may stand in, see the class comment)
     * @param sent the part of the image sent to the engine
     * @param changed where pixels may change: the selection, grown by the grow and the feather
     * @param generated where the generated image goes (the step previews' place)
     */
    record Plan(InpaintOptions options, Rectangle sent, Rectangle changed, Rectangle generated) {}

    /** @throws IllegalArgumentException when the image has no area selection */
    static Plan plan(InpaintOptions options, ImagePlus imp) {
        Roi roi = imp.getRoi();
        if (roi == null || !roi.isArea()) {
            throw new IllegalArgumentException("Inpaint Selection needs an area selection (rectangle, oval, "
                    + "polygon, freehand or composite) on the image");
        }
        Rectangle image = new Rectangle(0, 0, imp.getWidth(), imp.getHeight());
        Rectangle selection = roi.getBounds().intersection(image);
        if (selection.isEmpty()) {
            throw new IllegalArgumentException("the selection lies outside the image");
        }
        Rectangle surroundings = grown(selection, options.reach() + options.padding()).intersection(image);
        Rectangle changed = grown(selection, options.reach()).intersection(image);
        if (options.onlyMasked()) {
            return new Plan(options, image, changed, surroundings);
        }
        Rectangle region = snappedRegion(surroundings, imp.getWidth(), imp.getHeight());
        if (region == null) {
            // Too little image around the selection for a multiple of 8: the engine cuts and scales.
            InpaintOptions scaled = options.withOnlyMasked(options.padding(), roundUp(surroundings.width),
                    roundUp(surroundings.height));
            return new Plan(scaled, image, changed, surroundings);
        }
        return new Plan(options, region, changed.intersection(region), region);
    }

    /** Where the step previews of a job for {@code options} belong on {@code imp}. */
    public Rectangle previewRegion(InpaintOptions options, ImagePlus imp) {
        return plan(options, imp).generated();
    }

    /**
     * Inpaints {@code imp}'s selection and inserts the result as a layer (several variants: a stack of
     * the images sent, inpainted, in a new image). Blocks until the job ends.
     *
     * @throws IllegalArgumentException when the image has no area selection
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled: nothing inserted
     * @throws EngineException when the engine failed
     */
    public Inserted run(InpaintOptions options, ImagePlus imp, JobListener listener) throws EngineException {
        return job(options, imp).run(client, listener);
    }

    /**
     * The job for {@code options} on the selection of the plane {@code imp} shows.
     *
     * @throws IllegalArgumentException when the image has no area selection
     */
    public static PlaneJob job(InpaintOptions options, ImagePlus imp) {
        Plan plan = plan(options, imp);
        SourceImage source = SourceImage.of(imp, imp.getC(), options.grey());
        GenerateRequest request = request(plan.options(), imp, source, plan.sent());
        return new PlaneJob(BatchJob.newBuilder().setGenerate(request).build(),
                result -> insert(options, imp, plan, source, result));
    }

    private static Inserted insert(InpaintOptions options, ImagePlus imp, Plan plan, SourceImage source,
            Result result) throws EngineException {
        Generation generation = options.generation();
        List<ImageProcessor> images = Results.pixels(result, source);
        long seed = Results.seed(result, generation.seed());
        String parameters = source.parameters(result.getParameters());
        if (images.size() > 1) {
            ImagePlus variants = Results.newImage(images, generation.prompt(), seed, parameters);
            source.carryOver(variants, plan.sent());
            return Inserted.variants(variants, result, seed, generation, true);
        }
        Rectangle changed = plan.changed();
        ImageProcessor returned = images.get(0);
        returned.setRoi(changed.x - plan.sent().x, changed.y - plan.sent().y, changed.width, changed.height);
        ImageProcessor pixels = footprint(returned.crop(), imp.createRoiMask(), changed, options.reach(), source);
        ImageRoi layer = LayerInserter.insert(imp, source.channel(), pixels, changed.x, changed.y, generation.prompt(),
                seed, parameters);
        return new Inserted(imp, layer, result, seed);
    }

    /**
     * {@code pixels} (at {@code at} in the image) cut to where the engine may have changed pixels (the
     * selection and whatever lies within the grow and the feather of it, plus a pixel for the
     * engine's rounding), so the layer takes the shape of the feathered selection: RGB pixels get an
     * alpha channel, opaque there and transparent beyond; grey ones, which have no alpha, get the
     * source's own values beyond (the engine kept them, but through the normalisation's round trip
     * they are only within a quantisation step of them). Inside, the pixels are the engine's
     * composite, feather already blended in, so the cut is all or nothing: a soft one would blend the
     * feather twice.
     */
    static ImageProcessor footprint(ImageProcessor pixels, ImageProcessor selectionMask, Rectangle at, int reach,
            SourceImage source) {
        // Distance of every pixel to the nearest selected one (selected pixels are the "background").
        FloatProcessor distance = new EDM().makeFloatEDM(selectionMask, (byte) 255, false);
        if (pixels instanceof ColorProcessor) {
            pixels.setColorModel(LayerInserter.ARGB);
        } else {
            // Shown as the image is: through its LUT and display range.
            pixels.setColorModel(source.pixels().getColorModel());
            pixels.setMinAndMax(source.pixels().getMin(), source.pixels().getMax());
        }
        for (int y = 0; y < at.height; y++) {
            for (int x = 0; x < at.width; x++) {
                boolean near = distance.getf(at.x + x, at.y + y) <= reach + 1;
                if (pixels instanceof ColorProcessor) {
                    pixels.set(x, y, (near ? 0xff000000 : 0) | pixels.get(x, y) & 0xffffff);
                } else if (!near) {
                    pixels.setf(x, y, source.pixels().getf(at.x + x, at.y + y));
                }
            }
        }
        return pixels;
    }

    private static Rectangle grown(Rectangle r, int by) {
        return new Rectangle(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by);
    }

    /** Cancels the running job, if any. */
    public void cancel() {
        client.cancel();
    }
}
