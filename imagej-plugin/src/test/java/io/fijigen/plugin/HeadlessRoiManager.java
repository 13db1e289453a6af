package io.fijigen.plugin;

import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageJ's ROI Manager holding given ROIs in the tests' headless JVM, as {@link RoiManager#getInstance()} returns it to
 * the commands. A RoiManager is a Frame, which a headless JVM refuses to construct (HeadlessException; headless Fiji
 * patches ImageJ for it): this one is made without running its constructor, holding only the list its {@code
 * getRoisAsArray()} reads, and is the instance until {@link #close()}.
 */
public final class HeadlessRoiManager implements AutoCloseable {
    private HeadlessRoiManager() {}

    /** The ROI Manager, with {@code rois} in this order. */
    public static HeadlessRoiManager holding(Roi... rois) throws ReflectiveOperationException {
        Field unsafeField = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        unsafeField.setAccessible(true);
        RoiManager manager = (RoiManager) ((sun.misc.Unsafe) unsafeField.get(null)).allocateInstance(RoiManager.class);
        field("rois").set(manager, new ArrayList<>(List.of(rois)));
        field("instance").set(null, manager);
        return new HeadlessRoiManager();
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = RoiManager.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** No ROI Manager again. */
    @Override
    public void close() throws ReflectiveOperationException {
        field("instance").set(null, null);
    }
}
