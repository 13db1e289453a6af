package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A registered model's files on the server are missing, damaged or unreadable: the operator's to
 * restore, not the client's to fix ({@code FAILED_PRECONDITION}); other models are still served.
 */
public final class ModelFilesException extends IOException {
    public ModelFilesException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelFilesException(String message) {
        super(message);
    }

    /**
     * {@code error}, met reading model {@code id}'s files at {@code path} (its folder or file), as
     * what it is; paths in its message are shown from the model's folder or file down.
     */
    static ModelFilesException of(String id, Path path, Exception error) {
        if (error instanceof ModelFilesException files) {
            return files;
        }
        String message = String.valueOf(error.getMessage());
        for (Path above : new Path[] {path.toAbsolutePath().getParent(), realParent(path)}) {
            if (above != null) {
                message = message.replace(above + "/", "…/");
            }
        }
        return new ModelFilesException("model '" + id + "': its files on the server are damaged or unreadable: "
                + message, error);
    }

    private static Path realParent(Path path) {
        try {
            return path.toRealPath().getParent();
        } catch (IOException e) {
            return null;
        }
    }
}
