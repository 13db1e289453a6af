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
import io.fijigen.proto.client.JobListener;
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
 * footprint as its alpha (see {@link #footprint}): it shows exactly what the engine made, and Apply
 * Layer leaves every pixel beyond the feather untouched.
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

    /** The request for {@code options} on {@code imp}'s selection, sending {@code region} of it. */
    static GenerateRequest request(InpaintOptions options, ImagePlus imp, Rectangle region) {
        ColorProcessor image = ImageConversion.toRgb(imp);
        ImageProcessor mask = imp.createRoiMask();
        image.setRoi(region);
        mask.setRoi(region);
        GenerateRequest.Builder request = options.generation().request()
                .setInitImage(ByteString.copyFrom(ImageConversion.toPng((ColorProcessor) image.crop())))
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
        Plan plan = plan(options, imp);
        Generation generation = options.generation();
        Result result = client.generate(request(plan.options(), imp, plan.sent()), listener);
        List<ColorProcessor> images = Results.pixels(result);
        long seed = Results.seed(result, generation.seed());
        if (images.size() > 1) {
            return new Inserted(Results.newImage(images, generation.prompt(), seed, result.getParameters()), null,
                    result, seed);
        }
        Rectangle changed = plan.changed();
        ImageProcessor returned = images.get(0);
        returned.setRoi(changed.x - plan.sent().x, changed.y - plan.sent().y, changed.width, changed.height);
        ColorProcessor pixels = footprint((ColorProcessor) returned.crop(), imp.createRoiMask(), changed,
                options.reach());
        ImageRoi layer = LayerInserter.insert(imp, pixels, changed.x, changed.y, generation.prompt(), seed,
                result.getParameters());
        return new Inserted(imp, layer, result, seed);
    }

    /**
     * {@code pixels} (at {@code at} in the image) with an alpha channel: opaque where the engine may
     * have changed pixels (the selection and whatever lies within the grow and the feather of it,
     * plus a pixel for the engine's rounding), transparent beyond, so the layer takes the shape of the
     * feathered selection. Its pixels are the engine's composite, feather already blended in, so the
     * alpha is all or nothing: a soft alpha would blend the feather twice.
     */
    static ColorProcessor footprint(ColorProcessor pixels, ImageProcessor selectionMask, Rectangle at, int reach) {
        // Distance of every pixel to the nearest selected one (selected pixels are the "background").
        FloatProcessor distance = new EDM().makeFloatEDM(selectionMask, (byte) 255, false);
        int[] argb = new int[at.width * at.height];
        for (int y = 0; y < at.height; y++) {
            for (int x = 0; x < at.width; x++) {
                boolean near = distance.getf(at.x + x, at.y + y) <= reach + 1;
                argb[y * at.width + x] = (near ? 0xff000000 : 0) | pixels.get(x, y) & 0xffffff;
            }
        }
        ColorProcessor cut = new ColorProcessor(at.width, at.height, argb);
        cut.setColorModel(LayerInserter.ARGB);
        return cut;
    }

    private static Rectangle grown(Rectangle r, int by) {
        return new Rectangle(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by);
    }

    /** Cancels the running job, if any. */
    public void cancel() {
        client.cancel();
    }
}
