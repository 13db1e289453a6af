package io.fijigen.proto.client;

import ij.gui.Line;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatPolygon;
import java.util.List;

/**
 * Line selections as a scribble ControlNet's control image: white lines on black, the same pixels
 * from the plugin and the command line. Only line ROIs draw (straight, segmented and freehand
 * lines); areas, points and composite shapes are skipped, so a ROI Manager's list may hold them
 * too, and angles (two lines meant as a measurement) are skipped as well.
 *
 * <p>The rule is ours, not ImageJ's line drawing (which differs between its versions and between
 * lines and polylines): a ROI's point (x, y) is the centre of pixel (x, y), and a pixel is white
 * when its centre lies within {@code width / 2} of one of the line's segments, so ends and
 * corners are round. A horizontal line of odd width w covers w rows, of even width w + 1.
 */
public final class LineScribble {
    /** The scribble annotators' stroke: the ControlNet scribble models saw lines about this wide. */
    public static final int DEFAULT_WIDTH = 3;
    public static final int MAX_WIDTH = 64;

    private LineScribble() {}

    /**
     * The lines among {@code rois}, {@code width} pixels wide, on a black {@code canvasWidth} ×
     * {@code canvasHeight} image.
     *
     * @throws IllegalArgumentException when none of the ROIs is a line, or the width is out of 1..64
     */
    public static ColorProcessor render(List<Roi> rois, int canvasWidth, int canvasHeight, int width) {
        if (width < 1 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("line width " + width + " is out of 1.." + MAX_WIDTH);
        }
        ByteProcessor lines = new ByteProcessor(canvasWidth, canvasHeight);
        int drawn = 0;
        for (Roi roi : rois) {
            if (isLine(roi)) {
                draw(points(roi), width / 2.0, lines);
                drawn++;
            }
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("no line among the " + rois.size() + " selection(s): draw lines"
                    + " with the straight, segmented or freehand line tool");
        }
        ColorProcessor rgb = new ColorProcessor(canvasWidth, canvasHeight);
        byte[] mask = (byte[]) lines.getPixels();
        int[] pixels = (int[]) rgb.getPixels();
        for (int i = 0; i < mask.length; i++) {
            pixels[i] = mask[i] != 0 ? 0xffffff : 0;
        }
        return rgb;
    }

    /** Whether {@code roi} draws: a straight, segmented or freehand line. */
    public static boolean isLine(Roi roi) {
        return roi.getType() == Roi.LINE || roi.getType() == Roi.POLYLINE || roi.getType() == Roi.FREELINE;
    }

    /** A wide straight line's polygon is its outline, so its end points are read instead. */
    private static FloatPolygon points(Roi roi) {
        if (roi instanceof Line line) {
            return new FloatPolygon(new float[] {(float) line.x1d, (float) line.x2d},
                    new float[] {(float) line.y1d, (float) line.y2d});
        }
        return roi.getFloatPolygon();
    }

    private static void draw(FloatPolygon line, double radius, ByteProcessor lines) {
        if (line.npoints == 1) {
            segment(line.xpoints[0], line.ypoints[0], line.xpoints[0], line.ypoints[0], radius, lines);
        }
        for (int i = 1; i < line.npoints; i++) {
            segment(line.xpoints[i - 1], line.ypoints[i - 1], line.xpoints[i], line.ypoints[i], radius, lines);
        }
    }

    /** Marks the pixels whose centres lie within {@code radius} of the segment (x1, y1)–(x2, y2). */
    private static void segment(double x1, double y1, double x2, double y2, double radius, ByteProcessor lines) {
        int left = Math.max(0, (int) Math.floor(Math.min(x1, x2) - radius));
        int right = Math.min(lines.getWidth() - 1, (int) Math.ceil(Math.max(x1, x2) + radius));
        int top = Math.max(0, (int) Math.floor(Math.min(y1, y2) - radius));
        int bottom = Math.min(lines.getHeight() - 1, (int) Math.ceil(Math.max(y1, y2) + radius));
        double dx = x2 - x1;
        double dy = y2 - y1;
        double lengthSquared = dx * dx + dy * dy;
        for (int y = top; y <= bottom; y++) {
            for (int x = left; x <= right; x++) {
                double along = lengthSquared == 0 ? 0 : ((x - x1) * dx + (y - y1) * dy) / lengthSquared;
                double t = Math.max(0, Math.min(1, along));
                double ex = x - (x1 + t * dx);
                double ey = y - (y1 + t * dy);
                if (ex * ex + ey * ey <= radius * radius) {
                    lines.set(x, y, 255);
                }
            }
        }
    }
}
