package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.client.LineScribble;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.Result;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * The UI-free core of "ControlNet from Image...": a control image made of the active image (its
 * Canny edges, computed by the engine exactly as its ControlNet sees them, or another {@link
 * ControlSource}), and a second unit's where one is chosen, guide a new image of the same size
 * (rounded down to the multiples of 8 the networks need), cut from its top-left corner: it keeps
 * the image's calibration, and a grey image's type.
 */
public final class ControlNetAction {
    /** The networks work on sides that are multiples of this. */
    static final int MULTIPLE = 8;
    /** The colour Preview Edges draws edges in: bright on the dark and the light images alike. */
    static final int EDGE_COLOUR = 0xffff00;
    private static final String EDGE_LAYER_PREFIX = LayerInserter.NAME_PREFIX + "edges ";

    private final EngineClient client;

    public ControlNetAction(EngineClient client) {
        this.client = client;
    }

    /**
     * The edge map of {@code source}, as the engine's ControlNet sees it: 255 on edges, 0 elsewhere.
     * The engine's Canny (OpenCV's) takes 8 bits: a grey image's values go through its normalisation
     * at 8 bits, so the thresholds mean the same as on an RGB image.
     */
    public ColorProcessor edges(SourceImage source, double low, double high) throws EngineException {
        Image edges = client.canny(CannyRequest.newBuilder()
                .setImage(ByteString.copyFrom(source.eightBitPng(source.bounds())))
                .setLow(low)
                .setHigh(high)
                .build());
        return ImageConversion.fromPng(edges.getPng().toByteArray());
    }

    /**
     * Preview Edges: the edge map of {@code imp}'s current slice, sent as {@code grey} says, as a layer
     * over it (undoable like every layer), so the thresholds can be judged on the image itself. The
     * edges are drawn in {@link #EDGE_COLOUR} over a transparent ground, so the image shows through;
     * the layer replaces an earlier preview's, so trying thresholds leaves one edge layer.
     */
    public ImageRoi previewEdges(ImagePlus imp, GreyOptions grey, double low, double high) throws EngineException {
        ColorProcessor edges = edges(SourceImage.of(imp, imp.getC(), grey), low, high);
        int[] argb = (int[]) edges.getPixels();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (argb[i] & 0xff) != 0 ? 0xff000000 | EDGE_COLOUR : 0;
        }
        edges.setColorModel(LayerInserter.ARGB);
        for (ImageRoi earlier : Layers.of(imp)) {
            if (earlier.getName().startsWith(EDGE_LAYER_PREFIX)) {
                imp.getOverlay().remove(earlier);
            }
        }
        ImageRoi layer = new ImageRoi(0, 0, edges);
        layer.setName(edgeLayerName(low, high));
        return LayerInserter.add(imp, layer);
    }

    /** The Preview Edges layer's name. */
    public static String edgeLayerName(double low, double high) {
        return EDGE_LAYER_PREFIX + format(low) + "–" + format(high);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * Generates a new image guided by {@code imp} as {@code options} say. Blocks until the job ends. A grey image
     * (see {@link ControlNetOptions#grey()}) gets a grey result in its type and calibration.
     *
     * @throws IllegalArgumentException when the image is smaller than 8 pixels a side
     * @throws io.fijigen.plugin.client.GenerationCancelledException when cancelled
     * @throws EngineException when the engine failed
     */
    public Inserted run(ControlNetOptions options, ImagePlus imp, JobListener listener) throws EngineException {
        return job(options, imp).run(client, listener);
    }

    /**
     * The job for {@code options} guided by the control images of the plane {@code imp} shows, made
     * now (edges found by the engine).
     *
     * @throws IllegalArgumentException when the image is smaller than 8 pixels a side, or a source
     *     cannot make its control image (no line, a label past the palette, another image too small)
     * @throws EngineException when the engine failed to find the edges
     */
    public PlaneJob job(ControlNetOptions options, ImagePlus imp) throws EngineException {
        int width = imp.getWidth() - imp.getWidth() % MULTIPLE;
        int height = imp.getHeight() - imp.getHeight() % MULTIPLE;
        if (width == 0 || height == 0) {
            throw new IllegalArgumentException("the image is " + imp.getWidth() + "×" + imp.getHeight()
                    + ": ControlNet needs at least 8 pixels a side");
        }
        SourceImage source = SourceImage.of(imp, imp.getC(), options.grey());
        Rectangle sent = new Rectangle(width, height);
        Generation generation = options.generation();
        GenerateRequest.Builder request = generation.request()
                .setWidth(width)
                .setHeight(height)
                .addControls(ControlUnit.newBuilder()
                        .setModelId(options.controlNetId())
                        .setImage(controlImage(options.source(), imp, options, sent))
                        .setScale(options.scale())
                        .setGuessMode(options.guessMode()))
                .setFloatOutput(source.grey());
        SecondControlUnit second = options.second();
        if (second != null) {
            request.addControls(ControlUnit.newBuilder()
                    .setModelId(second.controlNetId())
                    .setImage(controlImage(second.source(), imp, options, sent))
                    .setScale(second.scale())
                    .setGuessMode(options.guessMode()));
        }
        return new PlaneJob(BatchJob.newBuilder().setGenerate(request.build()).build(),
                result -> insert(options, source, sent, result));
    }

    /**
     * The control image {@code controlSource} makes, {@code sent}'s region of it (the top-left corner
     * the generation covers), as PNG.
     */
    ByteString controlImage(ControlSource controlSource, ImagePlus imp, ControlNetOptions options, Rectangle sent)
            throws EngineException {
        ImagePlus image = controlSource.imageOr(imp);
        if (image.getWidth() < sent.width || image.getHeight() < sent.height) {
            throw new IllegalArgumentException("'" + image.getTitle() + "' is " + image.getWidth() + "×"
                    + image.getHeight() + ", smaller than the " + sent.width + "×" + sent.height + " to generate");
        }
        return switch (controlSource.kind()) {
            case CANNY -> {
                ColorProcessor edges = edges(SourceImage.of(image, image.getC(), options.grey()), options.low(),
                        options.high());
                edges.setRoi(sent);
                yield png((ColorProcessor) edges.crop());
            }
            case IMAGE -> ByteString.copyFrom(SourceImage.of(image, image.getC(), options.grey()).eightBitPng(sent));
            case LINES -> png(LineScribble.render(lines(image), sent.width, sent.height, options.lineWidth()));
            case LABELS -> {
                ImageProcessor labels = image.getProcessor();
                labels.setRoi(sent);
                yield png(options.palette().render(labels.crop()));
            }
        };
    }

    /** The image's selection and the ROI Manager's ROIs: those that are lines draw. */
    private static List<Roi> lines(ImagePlus image) {
        List<Roi> rois = new ArrayList<>();
        if (image.getRoi() != null) {
            rois.add(image.getRoi());
        }
        RoiManager manager = RoiManager.getInstance();
        if (manager != null) {
            rois.addAll(List.of(manager.getRoisAsArray()));
        }
        if (rois.stream().noneMatch(LineScribble::isLine)) {
            throw new IllegalArgumentException("'" + image.getTitle() + "' has no line selection and the ROI Manager"
                    + " no line: draw one with the straight, segmented or freehand line tool");
        }
        return rois;
    }

    private static ByteString png(ColorProcessor image) {
        return ByteString.copyFrom(ImageConversion.toPng(image));
    }

    private static Inserted insert(ControlNetOptions options, SourceImage source, Rectangle sent, Result result)
            throws EngineException {
        Generation generation = options.generation();
        long seed = Results.seed(result, generation.seed());
        ImagePlus generated = Results.newImage(Results.pixels(result, source), generation.prompt(), seed,
                source.parameters(result.getParameters()));
        source.carryOver(generated, sent);
        return Inserted.variants(generated, result, seed, generation, false);
    }

    /** Cancels the running job, if any. */
    public void cancel() {
        client.cancel();
    }
}
