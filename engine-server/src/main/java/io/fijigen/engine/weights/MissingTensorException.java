package io.fijigen.engine.weights;

import java.nio.file.Path;
import java.util.List;

/** A tensor that a network asked for is not in the weights file(s). */
public final class MissingTensorException extends IllegalArgumentException {

    private final String tensorName;

    public MissingTensorException(String tensorName, List<Path> files) {
        super("tensor '" + tensorName + "' not found in "
                + (files.size() == 1 ? files.get(0).toString() : files.toString()));
        this.tensorName = tensorName;
    }

    /** The full key that was looked up. */
    public String tensorName() {
        return tensorName;
    }
}
