package io.fijigen.engine.hub;

/** Told how far a file's download has come, e.g. to draw a progress bar. */
@FunctionalInterface
public interface DownloadListener {
    DownloadListener NONE = (file, done, total) -> {};

    /**
     * @param file the file's path in the repo
     * @param done bytes on disk, including those of an earlier, resumed attempt
     * @param total the file's size
     */
    void onBytes(String file, long done, long total);
}
