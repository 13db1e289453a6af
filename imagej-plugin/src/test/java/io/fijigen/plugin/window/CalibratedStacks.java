package io.fijigen.plugin.window;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * The 16-bit images the stack scenario sends, 64 × 48 with 0.25 µm pixels and the origin at (10, 5):
 * each plane a bright square on a textured ground, so Canny finds the square's outline. (The plane is
 * GreyImagesTest's, made again here: the scenario's JVM has ImageJ's classes only, not the plugin's
 * tests.)
 */
final class CalibratedStacks {
    private CalibratedStacks() {}

    /** A stack of 3 slices, each a little brighter than the one before. */
    static ImagePlus stack16(String title) {
        ImageStack stack = new ImageStack(64, 48);
        for (int z = 0; z < 3; z++) {
            stack.addSlice("z" + (z + 1), square16(150 * z));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        calibrate(imp);
        imp.setDisplayRange(900, 3500);
        return imp;
    }

    /** A 2-channel × 3-frame composite hyperstack, each plane a little brighter than the one before. */
    static ImagePlus hyperstack16(String title) {
        ImagePlus imp = IJ.createHyperStack(title, 64, 48, 2, 1, 3, 16);
        for (int i = 1; i <= imp.getStackSize(); i++) {
            imp.getStack().setPixels(square16(400 * i).getPixels(), i);
        }
        calibrate(imp);
        ((CompositeImage) imp).resetDisplayRanges();
        return imp;
    }

    private static ImageProcessor square16(int offset) {
        ImageProcessor ip = new ShortProcessor(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean square = x >= 20 && x < 40 && y >= 16 && y < 32;
                ip.set(x, y, (square ? 3000 : 1000) + (x * 37 + y * 91) % 500 + offset);
            }
        }
        return ip;
    }

    private static void calibrate(ImagePlus imp) {
        Calibration calibration = imp.getCalibration();
        calibration.pixelWidth = 0.25;
        calibration.pixelHeight = 0.25;
        calibration.setUnit("µm");
        calibration.xOrigin = 10;
        calibration.yOrigin = 5;
    }
}
