package io.fijigen.engine.server;

import io.fijigen.engine.image.BorderFill;
import io.fijigen.engine.pipeline.Outpaint;
import io.fijigen.engine.pipeline.RequestField;

/** A generate request's outpaint message in the engine's terms; its sides are checked with the init image. */
final class WireOutpaint {
    private WireOutpaint() {}

    static Outpaint of(io.fijigen.proto.v1.Outpaint wire) {
        return new Outpaint(wire.getLeft(), wire.getTop(), wire.getRight(), wire.getBottom(),
                wire.hasOverlap() ? wire.getOverlap() : RequestField.OUTPAINT_OVERLAP.defaultInt(), fill(wire));
    }

    private static BorderFill fill(io.fijigen.proto.v1.Outpaint wire) {
        return switch (wire.getFill()) {
            case OUTPAINT_FILL_UNSPECIFIED, OUTPAINT_FILL_EDGE -> BorderFill.EDGE;
            case OUTPAINT_FILL_NOISE -> BorderFill.NOISE;
            case OUTPAINT_FILL_BLUR -> BorderFill.BLUR;
            case UNRECOGNIZED -> throw RequestTranslator.invalid("outpaint.fill", "unknown fill "
                    + wire.getFillValue() + " (edge, noise or blur)");
        };
    }
}
