package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import io.fijigen.plugin.ControlSource;
import io.fijigen.plugin.ControlSource.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dialog's Source choice: what a ControlNet unit's control image is made of, as words a macro
 * can hold. Other open images are offered by title ("image: T", "labels: T") when they are at
 * least the active image's size.
 */
final class ControlSourceChoice {
    static final String NONE = "none";
    private static final String OTHER_IMAGE = "image: ";
    private static final String OTHER_LABELS = "labels: ";
    private static final Map<String, Kind> OWN = Map.of("canny edges", Kind.CANNY, "the image itself", Kind.IMAGE,
            "line ROIs", Kind.LINES, "label image", Kind.LABELS);
    static final String CANNY = "canny edges";

    private ControlSourceChoice() {}

    /**
     * The items, {@code none} first where {@code withNone} (a second unit's, off by default); other
     * images only where there is an active image {@code imp} to compare them with.
     */
    static List<String> items(ImagePlus imp, boolean withNone) {
        List<String> items = new ArrayList<>();
        if (withNone) {
            items.add(NONE);
        }
        items.addAll(List.of(CANNY, "the image itself", "line ROIs", "label image"));
        int[] ids = WindowManager.getIDList();
        for (int id : ids == null || imp == null ? new int[0] : ids) {
            ImagePlus other = WindowManager.getImage(id);
            if (other != null && other != imp && other.getWidth() >= imp.getWidth()
                    && other.getHeight() >= imp.getHeight()) {
                items.add(OTHER_IMAGE + other.getTitle());
                items.add(OTHER_LABELS + other.getTitle());
            }
        }
        return items;
    }

    /**
     * The source {@code item} names; null for {@code none}.
     *
     * @throws IllegalArgumentException naming {@code key} when the item or its image is unknown
     */
    static ControlSource read(String key, String item) {
        if (item.equals(NONE)) {
            return null;
        }
        if (OWN.containsKey(item)) {
            return ControlSource.of(OWN.get(item));
        }
        boolean labels = item.startsWith(OTHER_LABELS);
        if (!labels && !item.startsWith(OTHER_IMAGE)) {
            throw new IllegalArgumentException(key + ": '" + item + "' is not a source (canny edges, the image itself,"
                    + " line ROIs, label image, image: TITLE or labels: TITLE)");
        }
        String title = item.substring((labels ? OTHER_LABELS : OTHER_IMAGE).length());
        ImagePlus image = WindowManager.getImage(title);
        if (image == null) {
            throw new IllegalArgumentException(key + ": no open image is titled '" + title + "'");
        }
        return new ControlSource(labels ? Kind.LABELS : Kind.IMAGE, image);
    }
}
