package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import java.util.List;

/**
 * The UI-free core of the "Generate..." command: options → request → engine → image.
 *
 * <ul>
 *   <li>img2img ({@link GenerateOptions#useActiveImage()}): the active image's current slice, as
 *       ImageJ shows it, is the init image; the result becomes a layer on the active image at
 *       (0, 0) (see {@link LayerInserter}), its pixels untouched.
 *   <li>txt2img: the result becomes a new RGB image titled after the layer name
 *       ({@code [fijigen] prompt · seed n}); there is nothing to lay it over.
 *   <li>Several variants become a stack in a new image in both cases.
 * </ul>
 */
public final class GenerateAction {
    private final EngineClient client;

    public GenerateAction(EngineClient client) {
        this.client = client;
    }

    /** The request for {@code options}, with {@code active}'s current slice as init image for img2img. */
    public static GenerateRequest request(GenerateOptions options, ImagePlus active) {
        GenerateRequest.Builder request = options.generation().request()
                .setWidth(options.width())
                .setHeight(options.height());
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
        Generation generation = options.generation();
        Result result = client.generate(request(options, active), listener);
        List<ColorProcessor> images = Results.pixels(result);
        long seed = Results.seed(result, generation.seed());
        if (options.useActiveImage() && images.size() == 1) {
            ImageRoi layer = LayerInserter.insert(active, images.get(0), 0, 0, generation.prompt(), seed,
                    result.getParameters());
            return new Inserted(active, layer, result, seed);
        }
        return new Inserted(Results.newImage(images, generation.prompt(), seed, result.getParameters()), null,
                result, seed);
    }

    /** Cancels the running generation, if any. */
    public void cancel() {
        client.cancel();
    }
}
