package io.fijigen.engine.server;

import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.image.Masks;
import io.fijigen.engine.pipeline.ControlUnit;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.pipeline.InpaintOptions;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.proto.v1.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests off the wire into the engine's terms, checked before any work is queued: every rule
 * that needs no model weights is enforced here, each error naming the field as the .proto does.
 * Models are only looked up here; the job loads them.
 */
final class RequestTranslator {
    static final int MAX_PROMPT = 1000;
    static final int MAX_STEPS = 150;
    static final double MAX_GUIDANCE = 30;
    static final int MAX_GENERATION_SIDE = 2048;
    static final int MAX_INPUT_SIDE = ImageFiles.MAX_SIDE;
    private static final int MULTIPLE = 8;

    private final ModelRegistry registry;

    RequestTranslator(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * A generation request, the model it runs on, its ControlNet units and its safety checker (null
     * for none), checked but without their models: the job loads those under a lease.
     */
    record Generation(ModelEntry model, GenerationRequest request, List<String> controlIds, List<ControlUnit> controls,
            String safetyId, int previewEvery) {

        /** Every model the job needs, the pipeline first. */
        List<String> modelIds() {
            List<String> ids = new ArrayList<>(List.of(model.id()));
            ids.addAll(controlIds);
            if (safetyId != null) {
                ids.add(safetyId);
            }
            return ids;
        }

        /** The request with its units bound to the leased ControlNets, and its leased safety checker. */
        GenerationRequest withModels(ModelRegistry.Lease lease) {
            GenerationRequest.Builder builder = request.toBuilder();
            for (int i = 0; i < controls.size(); i++) {
                builder.control(controls.get(i).withModel(lease.controlNet(controlIds.get(i))));
            }
            if (safetyId != null) {
                builder.safetyChecker(lease.safetyChecker(safetyId));
            }
            return builder.build();
        }
    }

    /** An upscale request and its model (null for Lanczos alone). */
    record Upscaling(ModelEntry model, UpscaleRequest request, int previewEvery) {}

    Generation generation(io.fijigen.proto.v1.GenerateRequest wire) throws IOException {
        ModelEntry model = model("model_id", wire.getModelId());
        boolean inpaint = !wire.getMask().isEmpty();
        Capability needed = inpaint ? Capability.INPAINT : wire.getInitImage().isEmpty() ? Capability.TXT2IMG
                : Capability.IMG2IMG;
        if (!model.capabilities().contains(needed)) {
            throw invalid("model_id", "model '" + model.id() + "' (" + model.kind().configName() + ") cannot run "
                    + needed.name().toLowerCase() + " (it can: " + model.capabilities() + ")");
        }
        String safetyId = wire.getSafetyCheck() ? safetyCheckerId() : null;
        GenerationDefaults defaults = model.defaults();
        RequestLoras loras = RequestLoras.of(registry, prompt("prompt", wire.getPrompt()), wire.getLorasList());
        GenerationRequest.Builder builder = GenerationRequest.builder(loras.prompt())
                .negativePrompt(prompt("negative_prompt", wire.getNegativePrompt()))
                .steps(steps(wire.getSteps(), defaults.steps().orElse(30)))
                .guidance(guidance(wire.hasGuidance() ? wire.getGuidance() : defaults.guidance().orElse(7.5)))
                .scheduler(scheduler(wire.getScheduler(), defaults.scheduler().orElse(null)))
                .seed(seed(wire.hasSeed(), wire.getSeed()))
                .numImages(wire.getNumImages() == 0 ? 1 : wire.getNumImages())
                .clipSkip(wire.getClipSkip() == 0 ? 1 : wire.getClipSkip());
        HostTensor init = wire.getInitImage().isEmpty() ? null : image("init_image", wire.getInitImage().toByteArray());
        if (init != null) {
            builder.initImage(init, wire.hasStrength() ? wire.getStrength() : 0.8);
        }
        if (inpaint) {
            if (init == null) {
                throw invalid("mask", "a mask needs init_image, the image to inpaint");
            }
            builder.mask(Masks.fromImage(image("mask", wire.getMask().toByteArray())))
                    .inpaintOptions(new InpaintOptions(wire.hasMaskBlur() ? wire.getMaskBlur() : 4, wire.getMaskGrow(),
                            wire.getOnlyMasked(), wire.hasPadding() ? wire.getPadding() : 32,
                            !wire.hasPasteBack() || wire.getPasteBack()));
        }
        loras.loras().forEach(builder::lora);
        List<String> controlIds = new ArrayList<>();
        List<ControlUnit> controls = new ArrayList<>();
        for (int i = 0; i < wire.getControlsCount(); i++) {
            String field = "controls[" + i + "]";
            controlIds.add(controlNetId(field, wire.getControls(i).getModelId()));
            controls.add(control(field, wire.getControls(i), init));
        }
        HostTensor firstControl = controls.isEmpty() ? null : controls.get(0).image();
        if (wire.hasLatents()) {
            builder.latents(tensor("latents", wire.getLatents()));
        }
        HostTensor sized = init != null ? init : firstControl;
        int width = side("width", wire.getWidth(), sized == null ? defaults.width().orElse(512) : (int) sized.dim(3));
        int height = side("height", wire.getHeight(), sized == null ? defaults.height().orElse(512) : (int) sized.dim(2));
        builder.size(width, height);
        return new Generation(model, builder.build(), controlIds, controls, safetyId, wire.getPreviewEvery());
    }

    Upscaling upscaling(io.fijigen.proto.v1.UpscaleRequest wire) throws IOException {
        ModelEntry model = null;
        if (!wire.getModelId().isEmpty()) {
            model = model("model_id", wire.getModelId());
            if (!model.capabilities().contains(Capability.UPSCALE)) {
                throw invalid("model_id", "model '" + model.id() + "' (" + model.kind().configName()
                        + ") is not an upscaler");
            }
        }
        GenerationRequest.Builder generation = GenerationRequest.builder(prompt("prompt", wire.getPrompt()))
                .negativePrompt(prompt("negative_prompt", wire.getNegativePrompt()))
                .steps(steps(wire.getSteps(), UpscaleRequest.DEFAULT_STEPS))
                .guidance(guidance(wire.hasGuidance() ? wire.getGuidance() : UpscaleRequest.DEFAULT_GUIDANCE))
                .scheduler(scheduler(wire.getScheduler(), null))
                .seed(seed(wire.hasSeed(), wire.getSeed()));
        if (wire.hasLatents()) {
            generation.latents(tensor("latents", wire.getLatents()));
        }
        Tiling tiling = new Tiling(wire.getTile() == 0 ? 128 : wire.getTile(),
                wire.hasTileOverlap() ? wire.getTileOverlap() : 32);
        UpscaleRequest request = new UpscaleRequest(generation.build(), image("image", wire.getImage().toByteArray()),
                wire.hasNoiseLevel() ? wire.getNoiseLevel() : UpscaleRequest.DEFAULT_NOISE_LEVEL, tiling,
                wire.getFactor() == 0 ? UpscaleRequest.MODEL_FACTOR : wire.getFactor());
        return new Upscaling(model, request, wire.getPreviewEvery());
    }

    /** A PNG (or other image) off the wire, its size checked from the header before decoding. */
    static HostTensor image(String field, byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw invalid(field, "no image given");
        }
        try {
            HostTensor image = ImageFiles.toTensor(ImageFiles.decode(bytes, field, MAX_INPUT_SIDE), field);
            if (image.dim(2) < MULTIPLE || image.dim(3) < MULTIPLE) {
                throw invalid(field, "image is " + image.dim(3) + "x" + image.dim(2) + ", below 8 pixels a side");
            }
            return image;
        } catch (IOException e) {
            throw invalid(field, e.getMessage());
        }
    }

    /** The first registered safety model: the one that checks every request asking for it. */
    private String safetyCheckerId() {
        return registry.entries().stream()
                .filter(entry -> entry.kind() == ModelKind.SAFETY)
                .map(ModelEntry::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("safety_check: no safety checker model is registered on"
                        + " this server (register one of kind '" + ModelKind.SAFETY.configName() + "')"));
    }

    private String controlNetId(String field, String id) {
        ModelEntry entry = model(field + ".model_id", id);
        if (!entry.capabilities().contains(Capability.CONTROLNET)) {
            throw invalid(field + ".model_id", "model '" + entry.id() + "' is not a ControlNet");
        }
        return entry.id();
    }

    /** The unit's settings and control image, checked; its model comes with the job's lease. */
    private static ControlUnit control(String field, io.fijigen.proto.v1.ControlUnit wire, HostTensor init)
            throws IOException {
        HostTensor image;
        switch (wire.getSourceCase()) {
            case IMAGE -> image = image(field + ".image", wire.getImage().toByteArray());
            case CANNY_FROM_INIT -> {
                if (init == null) {
                    throw invalid(field + ".canny_from_init", "needs init_image to take the edges from");
                }
                var thresholds = wire.getCannyFromInit();
                try {
                    image = CannyEdges.controlImage(init, thresholds.hasLow() ? thresholds.getLow() : 100,
                            thresholds.hasHigh() ? thresholds.getHigh() : 200);
                } catch (IllegalArgumentException e) {
                    throw invalid(field + ".canny_from_init", e.getMessage());
                }
            }
            default -> {
                if (init == null) {
                    throw invalid(field + ".image", "no control image and no init_image to use as one");
                }
                image = init;
            }
        }
        try {
            return new ControlUnit(null, image, (float) (wire.hasScale() ? wire.getScale() : 1.0),
                    wire.getGuessMode(), wire.getStart(), wire.hasEnd() ? wire.getEnd() : 1.0);
        } catch (InvalidRequestException e) {
            throw invalid(field + "." + e.field(), e.getMessage());
        }
    }

    private ModelEntry model(String field, String id) {
        return model(registry, field, id);
    }

    /** The registered model named by a request field; NOT_FOUND naming the field when there is none. */
    static ModelEntry model(ModelRegistry registry, String field, String id) {
        if (id.isEmpty()) {
            throw invalid(field, "no model id given");
        }
        try {
            return registry.find(id);
        } catch (UnknownModelException e) {
            throw new ModelNotFoundException(field + ": " + e.getMessage());
        }
    }

    private static String prompt(String field, String text) {
        if (text.length() > MAX_PROMPT) {
            throw invalid(field, text.length() + " characters, more than " + MAX_PROMPT);
        }
        return text;
    }

    private static int steps(int steps, int defaultSteps) {
        int value = steps == 0 ? defaultSteps : steps;
        if (value < 1 || value > MAX_STEPS) {
            throw invalid("steps", value + " is outside 1.." + MAX_STEPS);
        }
        return value;
    }

    private static double guidance(double guidance) {
        if (!(guidance >= 0 && guidance <= MAX_GUIDANCE)) {
            throw invalid("guidance", guidance + " is outside 0.." + (int) MAX_GUIDANCE);
        }
        return guidance;
    }

    private static String scheduler(String name, String defaultName) {
        String value = name.isEmpty() ? defaultName : name;
        if (value != null && SchedulerKind.fromId(value).isEmpty()) {
            throw invalid("scheduler", SchedulerKind.unknownName(value));
        }
        return value;
    }

    private static long seed(boolean given, long seed) {
        if (given && seed < -1) {
            throw invalid("seed", seed + " is negative (use -1 or leave it unset for a random seed)");
        }
        return given ? seed : GenerationRequest.RANDOM_SEED;
    }

    private static int side(String field, int requested, int fallback) {
        int value = requested == 0 ? fallback - fallback % MULTIPLE : requested;
        if (value < MULTIPLE || value > MAX_GENERATION_SIDE) {
            throw invalid(field, value + " is outside " + MULTIPLE + ".." + MAX_GENERATION_SIDE);
        }
        if (value % MULTIPLE != 0) {
            int below = value - value % MULTIPLE;
            throw invalid(field, value + " is not a multiple of 8 (try " + below + " or " + (below + MULTIPLE) + ")");
        }
        return value;
    }

    /** A float32 little-endian tensor off the wire. */
    static HostTensor tensor(String field, Tensor wire) {
        long count = 1;
        for (long dim : wire.getShapeList()) {
            if (dim < 1) {
                throw invalid(field, "shape " + wire.getShapeList() + " has a dimension below 1");
            }
            count *= dim;
        }
        if (wire.getShapeCount() == 0 || count * 4 != wire.getData().size()) {
            throw invalid(field, "shape " + wire.getShapeList() + " needs " + count * 4 + " bytes of float32, got "
                    + wire.getData().size());
        }
        float[] data = new float[(int) count];
        ByteBuffer.wrap(wire.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new HostTensor(data, wire.getShapeList().stream().mapToLong(Long::longValue).toArray());
    }

    /** An error whose message starts with the field's name, as the .proto promises clients. */
    static InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException(field, problem.startsWith(field) ? problem : field + ": " + problem);
    }
}
