package io.fijigen.engine.server;

import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.pipeline.ControlUnit;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.CannyThresholds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ControlNet units of a generate request, off the wire, in two passes: their count, models and
 * numbers before any image of the request is decoded, then their control images.
 */
final class RequestControls {
    private RequestControls() {}

    /**
     * The units' registered ControlNet ids, after checking their count, that each is made for
     * {@code model}'s family, and their numbers; decodes nothing.
     */
    static List<String> ids(ModelCatalogue catalogue, ModelEntry model, List<io.fijigen.proto.v1.ControlUnit> wire)
            throws IOException {
        RequestField.CONTROLS.check("controls", wire.size());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < wire.size(); i++) {
            String field = "controls[" + i + "]";
            String id = controlNetId(catalogue, field, wire.get(i).getModelId());
            catalogue.misfit("ControlNet", id, model.id()).ifPresent(problem -> {
                throw RequestTranslator.invalid(field + ".model_id", problem);
            });
            ids.add(id);
            checkUnit(field, wire.get(i));
        }
        return ids;
    }

    /** The units with their control images; their models come with the job's lease. */
    static List<ControlUnit> units(List<io.fijigen.proto.v1.ControlUnit> wire, HostTensor init) throws IOException {
        List<ControlUnit> units = new ArrayList<>();
        for (int i = 0; i < wire.size(); i++) {
            units.add(control("controls[" + i + "]", wire.get(i), init));
        }
        return units;
    }

    private static String controlNetId(ModelCatalogue catalogue, String field, String id) {
        ModelEntry entry = RequestTranslator.model(catalogue, field + ".model_id", id);
        if (entry.kind() != ModelKind.CONTROLNET) {
            throw RequestTranslator.invalid(field + ".model_id", "model '" + entry.id() + "' is not a ControlNet");
        }
        return entry.id();
    }

    /** A unit's numbers, checked before any image is decoded. */
    private static void checkUnit(String field, io.fijigen.proto.v1.ControlUnit wire) {
        if (wire.hasScale()) {
            RequestField.CONTROL_SCALE.check(field + ".scale", wire.getScale());
        }
        try {
            ControlUnit.checkSpan(wire.getStart(), end(wire));
        } catch (InvalidRequestException e) {
            throw RequestTranslator.invalid(field + "." + e.field(), e.getMessage());
        }
        if (wire.hasCannyFromInit()) {
            CannyThresholds thresholds = wire.getCannyFromInit();
            try {
                CannyEdges.checkThresholds(low(thresholds), high(thresholds));
            } catch (IllegalArgumentException e) {
                throw RequestTranslator.invalid(field + ".canny_from_init", e.getMessage());
            }
        }
    }

    /** The unit's settings and control image, checked; its model comes with the job's lease. */
    private static ControlUnit control(String field, io.fijigen.proto.v1.ControlUnit wire, HostTensor init)
            throws IOException {
        HostTensor image = switch (wire.getSourceCase()) {
            case IMAGE -> RequestTranslator.image(field + ".image", wire.getImage(), RequestField.SIDE);
            case TENSOR -> WireTensors.image(field + ".tensor", wire.getTensor(), 3, 1);
            case CANNY_FROM_INIT -> {
                if (init == null) {
                    throw RequestTranslator.invalid(field + ".canny_from_init",
                            "needs an init image to take the edges from");
                }
                CannyThresholds thresholds = wire.getCannyFromInit();
                try {
                    yield CannyEdges.controlImage(init, low(thresholds), high(thresholds));
                } catch (IllegalArgumentException e) {
                    throw RequestTranslator.invalid(field + ".canny_from_init", e.getMessage());
                }
            }
            default -> {
                if (init == null) {
                    throw RequestTranslator.invalid(field + ".image",
                            "no control image and no init image to use as one");
                }
                yield init;
            }
        };
        try {
            return new ControlUnit(null, image,
                    (float) (wire.hasScale() ? wire.getScale() : RequestField.CONTROL_SCALE.defaultValue()),
                    wire.getGuessMode(), wire.getStart(), end(wire));
        } catch (InvalidRequestException e) {
            throw RequestTranslator.invalid(field + "." + e.field(), e.getMessage());
        }
    }

    private static double end(io.fijigen.proto.v1.ControlUnit wire) {
        return wire.hasEnd() ? wire.getEnd() : RequestField.CONTROL_END.defaultValue();
    }

    private static double low(CannyThresholds thresholds) {
        return thresholds.hasLow() ? thresholds.getLow() : RequestField.CANNY_LOW.defaultValue();
    }

    private static double high(CannyThresholds thresholds) {
        return thresholds.hasHigh() ? thresholds.getHigh() : RequestField.CANNY_HIGH.defaultValue();
    }
}
