package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.Undo;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.awt.image.DirectColorModel;

/**
 * Puts generated images on an image as overlay layers ({@link ImageRoi}s): the image's own pixels
 * stay as they are; Edit › Undo removes the layer just added, Apply Layer burns one in.
 */
public final class LayerInserter {
    /** Every layer's name starts with this, so the plugin can find its own layers again. */
    public static final String NAME_PREFIX = "[fijigen] ";
    /** The roi property holding the generation's parameters (as the engine's Result.parameters). */
    public static final String PARAMETERS_PROPERTY = "fijigen.parameters";
    /** The colour model of layers with an alpha channel (ARGB pixels, as ImageJ's own transparent ImageRois). */
    public static final DirectColorModel ARGB = new DirectColorModel(32, 0xff0000, 0xff00, 0xff, 0xff000000);
    /**
     * Longer prompts are cut to their first words in the layer's name, which also titles new images
     * (small windows truncate long titles); the parameters keep them whole.
     */
    static final int MAX_PROMPT_CHARS = 32;

    private LayerInserter() {}

    /** The name of a layer generated from {@code prompt} with {@code seed}. */
    public static String layerName(String prompt, long seed) {
        String p = prompt == null ? "" : prompt.strip().replaceAll("\\s+", " ");
        if (p.length() > MAX_PROMPT_CHARS) {
            int wordEnd = p.lastIndexOf(' ', MAX_PROMPT_CHARS - 1);
            p = p.substring(0, wordEnd > 0 ? wordEnd : MAX_PROMPT_CHARS - 1) + "…";
        }
        return NAME_PREFIX + p + " · seed " + seed;
    }

    /**
     * Adds {@code pixels} to {@code imp}'s overlay as a layer at ({@code x}, {@code y}), opacity 1,
     * named after the prompt and seed (see {@link #add}): RGB pixels as an ImageRoi, grey ones (in
     * the image's type, with its LUT and display range) as a {@link GreyLayer}.
     *
     * @param parameters stored on the layer as {@link #PARAMETERS_PROPERTY} and added to the image's
     *     Info under the layer's name; null: none
     * @return the layer added
     */
    public static ImageRoi insert(ImagePlus imp, ImageProcessor pixels, int x, int y,
                                  String prompt, long seed, String parameters) {
        return insert(imp, 0, pixels, x, y, prompt, seed, parameters);
    }

    /**
     * As {@link #insert(ImagePlus, ImageProcessor, int, int, String, long, String)}, for a layer made
     * from one channel of a composite image: it sits on that channel only (0: on every channel).
     */
    public static ImageRoi insert(ImagePlus imp, int channel, ImageProcessor pixels, int x, int y,
                                  String prompt, long seed, String parameters) {
        ImageRoi layer = pixels instanceof ColorProcessor ? new ImageRoi(x, y, pixels) : new GreyLayer(x, y, pixels);
        layer.setName(layerName(prompt, seed));
        if (parameters != null) {
            layer.setProperty(PARAMETERS_PROPERTY, parameters);
            appendInfo(imp, layer.getName() + "\n" + parameters);
        }
        add(imp, layer);
        if (channel > 0) {
            layer.setPosition(channel, imp.getSlice(), imp.getFrame());
        }
        return layer;
    }

    /**
     * Adds {@code layer} to {@code imp}'s overlay (created if it has none), opacity 1, on the image's
     * current position in a stack, undoable: Edit › Undo removes it.
     */
    public static ImageRoi add(ImagePlus imp, ImageRoi layer) {
        layer.setOpacity(1.0);
        if (imp.getStackSize() > 1) {
            if (imp.isHyperStack() || imp.isComposite()) {
                layer.setPosition(0, imp.getSlice(), imp.getFrame());
            } else {
                layer.setPosition(imp.getCurrentSlice());
            }
        }
        // Before the addition: Undo of OVERLAY_ADDITION removes the overlay's last element.
        Undo.setup(Undo.OVERLAY_ADDITION, imp);
        Overlay overlay = imp.getOverlay();
        if (overlay == null) {
            overlay = new Overlay();
        }
        overlay.add(layer);
        imp.setOverlay(overlay);
        return layer;
    }

    /** Adds {@code text} to the image's Info (Image › Show Info), after a blank line. */
    public static void appendInfo(ImagePlus imp, String text) {
        String info = imp.getInfoProperty();
        imp.setProperty("Info", info == null || info.isBlank() ? text : info.stripTrailing() + "\n\n" + text);
    }
}
