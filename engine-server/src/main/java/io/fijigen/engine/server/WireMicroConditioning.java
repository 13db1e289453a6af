package io.fijigen.engine.server;

import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.MicroConditioning;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Offset;
import io.fijigen.proto.v1.Size;

/** A generate request's SDXL micro-conditioning fields, checked; errors name the field ("target_size.width"). */
final class WireMicroConditioning {
    private WireMicroConditioning() {}

    static MicroConditioning of(GenerateRequest wire) {
        return new MicroConditioning(
                wire.hasOriginalSize() ? size("original_size", wire.getOriginalSize()) : null,
                wire.hasCropTopLeft() ? offset("crop_top_left", wire.getCropTopLeft()) : null,
                wire.hasTargetSize() ? size("target_size", wire.getTargetSize()) : null,
                wire.hasNegativeOriginalSize() ? size("negative_original_size", wire.getNegativeOriginalSize()) : null,
                wire.hasNegativeCropTopLeft() ? offset("negative_crop_top_left", wire.getNegativeCropTopLeft()) : null,
                wire.hasNegativeTargetSize() ? size("negative_target_size", wire.getNegativeTargetSize()) : null);
    }

    private static MicroConditioning.Size size(String field, Size wire) {
        try {
            return new MicroConditioning.Size(wire.getWidth(), wire.getHeight());
        } catch (InvalidRequestException e) {
            throw RequestTranslator.invalid(field + "." + e.field(), e.getMessage());
        }
    }

    private static MicroConditioning.Offset offset(String field, Offset wire) {
        try {
            return new MicroConditioning.Offset(wire.getTop(), wire.getLeft());
        } catch (InvalidRequestException e) {
            throw RequestTranslator.invalid(field + "." + e.field(), e.getMessage());
        }
    }
}
