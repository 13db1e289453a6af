package io.fijigen.plugin.ij1;

import ij.IJ;

/**
 * Esc cancels what runs while this is open: ImageJ only sets a flag when Esc is pressed, so a daemon thread polls it
 * and calls the cancel once.
 */
final class EscapeKey implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private final Thread watcher;
    private volatile boolean closed;

    EscapeKey(Runnable cancel) {
        IJ.resetEscape();
        watcher = new Thread(() -> {
            while (!closed) {
                if (IJ.escapePressed()) {
                    cancel.run();
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fijigen Esc watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
