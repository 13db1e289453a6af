package io.fijigen.engine.image;

import nu.pattern.OpenCV;

/**
 * OpenCV's native library, loaded on first use and once per process. The openpnp jar carries the
 * binaries; {@code loadLocally} extracts the one for this platform to a temporary folder and loads it
 * (its other loader patches {@code java.library.path}, which Java 12+ no longer allows).
 */
final class OpenCvNatives {
    private static boolean loaded;

    private OpenCvNatives() {}

    /** Loads the library unless done; callers race safely because the check and load are one lock. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            OpenCV.loadLocally();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot load OpenCV's native library on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e, e);
        }
        loaded = true;
    }
}
