package io.fijigen.plugin.layers;

import ij.gui.ImageRoi;
import ij.process.ImageProcessor;

/**
 * A layer of grey values in its image's type (8, 16 or 32 bits), shown through the LUT and display
 * range its processor carries (the image's, so that it looks right over the image). ImageJ copies
 * an overlay's rois when it keeps one for Edit › Undo or duplicates an image, and an ImageRoi's copy
 * holds only its rendered 8-bit picture (a 16-bit layer's copy is a ByteProcessor): this layer's
 * copy keeps the values, so a layer that Undo brings back applies the same values again.
 */
public final class GreyLayer extends ImageRoi {
    public GreyLayer(int x, int y, ImageProcessor values) {
        super(x, y, values);
    }

    @Override
    public synchronized Object clone() {
        ImageRoi copy = (ImageRoi) super.clone();
        copy.setProcessor(getProcessor().duplicate());
        return copy;
    }
}
