package io.fijigen.plugin;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.ProgressListener;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.Result;
import ij.process.ColorProcessor;
import com.google.protobuf.ByteString;

/**
 * The UI-free core of the "Generate..." command: options → request → engine → image.
 *
 * <ul>
 *   <li>img2img ({@link GenerateOptions#useActiveImage()}): the active image's current slice, as
 *       ImageJ shows it, is the init image; the first result becomes a layer on the active image
 *       at (0, 0) (see {@link LayerInserter}), its pixels untouched.
 *   <li>txt2img: the first result becomes a new RGB image titled after the layer name
 *       ({@code [fijigen] prompt · seed n}); there is nothing to lay it over. It is not shown:
 *       the command does that.
 * </ul>
 *
 * In both cases the generation's parameters travel along as the property
 * {@link LayerInserter#PARAMETERS_PROPERTY} (on the layer, or as an image property, {@code getProp}, of
 * the new image).
 */
public final class GenerateAction {
    private final EngineClient client;

    public GenerateAction(EngineClient client) {
        this.client = client;
    }

    /** What a generation produced and where it went. */
    public record Inserted(ImagePlus image, ImageRoi layer, Result result, long seed) {
        /** Whether the result went into a new image (txt2img) rather than onto a layer. */
        public boolean newImage() {
            return layer == null;
        }
    }

    /** The request for {@code options}, with {@code active}'s current slice as init image for img2img. */
    public static GenerateRequest request(GenerateOptions options, ImagePlus active) {
        GenerateRequest.Builder request = GenerateRequest.newBuilder()
                .setModelId(options.modelId())
                .setPrompt(options.prompt())
                .setNegativePrompt(options.negativePrompt())
                .setSteps(options.steps())
                .setScheduler(options.scheduler())
                .setWidth(options.width())
                .setHeight(options.height())
                .setNumImages(1);
        if (options.seed() != null && options.seed() >= 0) {
            request.setSeed(options.seed());
        }
        if (options.guidance() != null) {
            request.setGuidance(options.guidance());
        }
        if (options.useActiveImage()) {
            if (active == null) {
                throw new IllegalArgumentException("img2img needs an open image");
            }
            request.setInitImage(ByteString.copyFrom(ImageConversion.toPng(active)));
            if (options.strength() != null) {
                request.setStrength(options.strength());
            }
        }
        return request.build();
    }

    /**
     * Generates and inserts the first image. Blocks until the job ends; {@link #cancel()} (from
     * another thread or from {@code listener}) ends it early.
     *
     * @param active the active image (img2img's source and target); may be null for txt2img
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled: nothing was
     *     inserted
     * @throws EngineException when the engine failed (its message is for the user)
     */
    public Inserted run(GenerateOptions options, ImagePlus active, ProgressListener listener)
            throws EngineException {
        GenerateRequest request = request(options, active);
        Result result = client.generate(request, listener);
        if (result.getImagesCount() == 0) {
            throw new EngineException(io.grpc.Status.Code.INTERNAL, "INTERNAL: the engine returned no image", null);
        }
        Image first = result.getImages(0);
        long seed = result.getSeedsCount() > 0 ? result.getSeeds(0) : options.seed() != null ? options.seed() : -1;
        ColorProcessor pixels = ImageConversion.fromPng(first.getPng().toByteArray());
        if (options.useActiveImage()) {
            ImageRoi layer = LayerInserter.insert(active, pixels, 0, 0, options.prompt(), seed,
                    result.getParameters());
            return new Inserted(active, layer, result, seed);
        }
        ImagePlus image = new ImagePlus(LayerInserter.layerName(options.prompt(), seed), pixels);
        image.setProp(LayerInserter.PARAMETERS_PROPERTY, result.getParameters());
        return new Inserted(image, null, result, seed);
    }

    /** Cancels the running generation, if any. */
    public void cancel() {
        client.cancel();
    }
}
