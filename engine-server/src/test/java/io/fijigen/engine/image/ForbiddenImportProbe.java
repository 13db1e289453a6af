package io.fijigen.engine.image;

import io.fijigen.engine.pipeline.GenerationRequest;

/**
 * An image class that reaches up into the pipeline, as the layering forbids; it exists only so that
 * {@code PackageLayersTest} can show its rule catching such an import.
 */
public final class ForbiddenImportProbe {
    private ForbiddenImportProbe() {}

    public static int width(GenerationRequest request) {
        return request.width();
    }
}
