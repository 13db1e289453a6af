package io.fijigen.engine.weights;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a well-formed safetensors file; the message names the file. */
public final class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
