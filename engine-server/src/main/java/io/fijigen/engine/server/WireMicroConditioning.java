package io.fijigen.engine.server;

import io.fijigen.engine.pipeline.MicroConditioning;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Offset;
import io.fijigen.proto.v1.Size;

/** A generate request's SDXL micro-conditioning fields, checked against the table; errors name the field ("target_size.width"). */
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
        return new MicroConditioning.Size(RequestField.CONDITIONING_SIDE.check(field + ".width", wire.getWidth()),
                RequestField.CONDITIONING_SIDE.check(field + ".height", wire.getHeight()));
    }

    private static MicroConditioning.Offset offset(String field, Offset wire) {
        return new MicroConditioning.Offset(RequestField.CONDITIONING_OFFSET.check(field + ".top", wire.getTop()),
                RequestField.CONDITIONING_OFFSET.check(field + ".left", wire.getLeft()));
    }
}
