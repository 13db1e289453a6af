package io.fijigen.engine.server;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.image.Masks;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.pipeline.ControlUnit;
import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.HiresOptions;
import io.fijigen.engine.pipeline.HiresUpscaler;
import io.fijigen.engine.pipeline.InpaintOptions;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.JobMemory;
import io.fijigen.engine.pipeline.MicroConditioning;
import io.fijigen.engine.pipeline.Outpaint;
import io.fijigen.engine.pipeline.RefineUpscale;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.pipeline.RequestLimits;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.schedule.SchedulerChoice;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.text.PromptWeightParser;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Hires;
import io.fijigen.proto.v1.ModelRole;
import io.fijigen.proto.v1.Refine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Requests off the wire into the engine's terms: the one mapping from request fields to the
 * engine's requests, for the gRPC service and for a local run of the command line alike. Every
 * rule that needs no model weights is enforced here, with the defaults and ranges of {@link
 * RequestField}, each error naming the field as the .proto does. Models are only looked up here;
 * the job loads them.
 */
public final class RequestTranslator {
    private static final int MULTIPLE = 8;

    private final ModelCatalogue catalogue;

    public RequestTranslator(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * A generation request, the model it runs on, its ControlNet units, its embeddings and its safety
     * checker (null for none), checked but without their models: the job loads those under a lease.
     */
    public record Generation(ModelEntry model, GenerationRequest request, List<String> controlIds,
            List<ControlUnit> controls, List<String> embeddingIds, String safetyId, int previewEvery,
            boolean floatOutput, boolean interactive, String session) {

        /** Every model the job needs, the pipeline first. */
        List<String> modelIds() {
            List<String> ids = new ArrayList<>(List.of(model.id()));
            ids.addAll(controlIds);
            hiresModel().ifPresent(x4 -> ids.add(x4.id()));
            if (safetyId != null) {
                ids.add(safetyId);
            }
            return ids;
        }

        /** Every model the result comes from, each once, with what it did: what its provenance lists. */
        Map<String, ModelRole> uses() {
            Map<String, ModelRole> uses = new LinkedHashMap<>();
            uses.put(model.id(), ModelRole.MODEL_ROLE_MODEL);
            controlIds.forEach(id -> uses.putIfAbsent(id, ModelRole.MODEL_ROLE_CONTROLNET));
            request.loras().forEach(lora -> uses.putIfAbsent(lora.name(), ModelRole.MODEL_ROLE_LORA));
            embeddingIds.forEach(id -> uses.putIfAbsent(id, ModelRole.MODEL_ROLE_EMBEDDING));
            hiresModel().ifPresent(x4 -> uses.putIfAbsent(x4.id(), ModelRole.MODEL_ROLE_UPSCALER));
            if (safetyId != null) {
                uses.putIfAbsent(safetyId, ModelRole.MODEL_ROLE_SAFETY);
            }
            return uses;
        }

        /** The request with its units bound to the leased ControlNets, and its leased safety checker. */
        GenerationRequest withModels(ResidentModels.Lease lease) {
            GenerationRequest.Builder builder = request.toBuilder();
            for (int i = 0; i < controls.size(); i++) {
                builder.control(controls.get(i).withModel(lease.controlNet(controlIds.get(i))));
            }
            if (safetyId != null) {
                builder.safetyChecker(lease.safetyChecker(safetyId));
            }
            hiresModel().ifPresent(x4 -> builder.hires(request.hires().withUpscaler(
                    x4.withModel(lease.pipeline(x4.id())))));
            return builder.build();
        }

        /** The x4 upscaler of the request's hires fix, if it names one. */
        private Optional<HiresUpscaler.X4> hiresModel() {
            return request.hires() != null && request.hires().upscaler() instanceof HiresUpscaler.X4 x4
                    ? Optional.of(x4) : Optional.empty();
        }
    }

    /** An upscale request, its model (null for Lanczos alone) and its refinement (null for none). */
    public record Upscaling(ModelEntry model, UpscaleRequest request, int previewEvery, boolean floatOutput,
            Refinement refine) {

        /** Every model the job needs. */
        List<String> modelIds() {
            List<String> ids = new ArrayList<>();
            if (model != null) {
                ids.add(model.id());
            }
            if (refine != null) {
                refine.tiles().modelIds().forEach(id -> {
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                });
            }
            return ids;
        }

        /** The models the result comes from, the upscaler first: what its provenance lists. */
        Map<String, ModelRole> uses() {
            Map<String, ModelRole> uses = new LinkedHashMap<>();
            if (model != null) {
                uses.put(model.id(), ModelRole.MODEL_ROLE_UPSCALER);
            }
            if (refine != null) {
                refine.tiles().uses().forEach(uses::putIfAbsent);
            }
            return uses;
        }
    }

    /**
     * A Refine Upscale's tiled img2img: every tile's generation (checked at the tile's size, its init
     * and control images placeholders the job replaces by each tile's pixels), the tile and the overlap.
     */
    public record Refinement(Generation tiles, int tile, int overlap) {}

    /**
     * The request checked whole, cheapest first: ids, counts and numbers before any image is decoded,
     * images (from their headers first) before the size, latents and the job's memory estimate.
     */
    public Generation generation(GenerateRequest wire) throws IOException {
        ModelEntry model = model("model_id", wire.getModelId());
        boolean masked = wire.getMaskSourceCase() != GenerateRequest.MaskSourceCase.MASKSOURCE_NOT_SET;
        Outpaint outpaint = wire.hasOutpaint() ? WireOutpaint.of(wire.getOutpaint()) : null;
        boolean inpaint = masked || outpaint != null;
        boolean hasInit = wire.getInitCase() != GenerateRequest.InitCase.INIT_NOT_SET;
        Capability needed = inpaint ? Capability.INPAINT : hasInit ? Capability.IMG2IMG : Capability.TXT2IMG;
        if (!model.capabilities().contains(needed)) {
            throw invalid("model_id", "model '" + model.id() + "' (" + model.kind().configName() + ") cannot run "
                    + needed.name().toLowerCase() + " (it can: " + model.capabilities() + ")");
        }
        List<String> controlIds = RequestControls.ids(catalogue, model, wire.getControlsList());
        String safetyId = wire.getSafetyCheck() ? safetyCheckerId() : null;
        PipelineConfigs configs = catalogue.configs(model.id());
        GenerationDefaults defaults = model.defaults();
        RequestLoras loras = RequestLoras.of(catalogue, model, prompt("prompt", wire.getPrompt()), wire.getLorasList());
        int numImages = RequestField.NUM_IMAGES.check("num_images",
                wire.getNumImages() == 0 ? RequestField.NUM_IMAGES.defaultInt() : wire.getNumImages());
        int steps = RequestField.STEPS.check("steps", wire.getSteps() != 0 ? wire.getSteps()
                : defaults.steps().orElse(RequestField.STEPS.defaultInt()));
        String scheduler = scheduler(wire.getScheduler(), defaults.scheduler());
        MicroConditioning sizes = WireMicroConditioning.of(wire);
        if (sizes.isSet() && configs.unet().textTime() == null) {
            throw invalid(sizes.firstField(), "size conditioning is for SDXL models; '" + model.id() + "' is not one");
        }
        GenerationRequest.Builder builder = GenerationRequest.builder(loras.prompt())
                .negativePrompt(wire.hasNegativePrompt() ? prompt("negative_prompt", wire.getNegativePrompt()) : null)
                .microConditioning(sizes)
                .steps(steps)
                .guidance(RequestField.GUIDANCE.check("guidance", wire.hasGuidance() ? wire.getGuidance()
                        : defaults.guidance().orElse(RequestField.GUIDANCE.defaultValue())))
                .scheduler(scheduler)
                .seed(seed(wire.hasSeed(), wire.getSeed()))
                .numImages(numImages)
                .clipSkip(FieldRange.ints(1, configs.maxClipSkip()).check("clip_skip",
                        wire.getClipSkip() == 0 ? RequestField.CLIP_SKIP.defaultInt() : wire.getClipSkip()));
        spacingAndEta(builder, wire.getTimestepSpacing(), wire.hasEta() ? OptionalDouble.of(wire.getEta())
                : OptionalDouble.empty(), defaults, schedulerKind(scheduler, configs));
        int previewEvery = previewEvery(wire.getPreviewEvery());
        RequestField strengthField = inpaint ? RequestField.INPAINT_STRENGTH : RequestField.STRENGTH;
        double strength = strengthField.check("strength",
                wire.hasStrength() ? wire.getStrength() : strengthField.defaultValue());
        if (wire.getWidth() != 0) {
            RequestField.SIDE.check("width", wire.getWidth());
        }
        if (wire.getHeight() != 0) {
            RequestField.SIDE.check("height", wire.getHeight());
        }
        HostTensor init = switch (wire.getInitCase()) {
            case INIT_IMAGE -> image("init_image", wire.getInitImage(), RequestField.SIDE);
            case INIT_TENSOR -> WireTensors.image("init_tensor", wire.getInitTensor(), 3, numImages);
            default -> null;
        };
        if (init != null) {
            builder.initImage(init, strength);
        }
        if (inpaint) {
            builder.inpaintOptions(new InpaintOptions(
                    wire.hasMaskBlur() ? wire.getMaskBlur() : RequestField.MASK_BLUR.defaultInt(),
                    wire.getMaskGrow(), wire.getOnlyMasked(),
                    wire.hasPadding() ? wire.getPadding() : RequestField.PADDING.defaultInt(),
                    !wire.hasPasteBack() || wire.getPasteBack()));
        }
        if (masked) {
            if (init == null) {
                throw invalid(wire.hasMaskTensor() ? "mask_tensor" : "mask",
                        "a mask needs an init image (init_image or init_tensor), the image to inpaint");
            }
            builder.mask(wire.hasMaskTensor() ? WireTensors.image("mask_tensor", wire.getMaskTensor(), 1, 1)
                            : Masks.fromImage(image("mask", wire.getMask(), RequestField.SIDE)));
        }
        loras.loras().forEach(builder::lora);
        embeddings(wire.getEmbeddingsList()).forEach(builder::embedding);
        List<ControlUnit> controls = RequestControls.units(wire.getControlsList(), init);
        if (wire.hasLatents()) {
            builder.latents(WireTensors.of("latents", wire.getLatents()));
        }
        if (wire.hasHires()) {
            builder.hires(hires(wire.getHires()));
        }
        WireRegions.of(wire).forEach(builder::region);
        // As the reference: the size of the image worked on, else of the first control image, else the model's.
        HostTensor sized = init != null ? init : controls.isEmpty() ? null : controls.get(0).image();
        builder.size(side("width", wire.getWidth(), sized != null ? (int) sized.dim(3) : defaultSide(model,
                        defaults.width())),
                side("height", wire.getHeight(), sized != null ? (int) sized.dim(2) : defaultSide(model,
                        defaults.height())));
        if (outpaint != null) {
            builder.outpaint(outpaint);
            outpaintSize(builder, wire, outpaint, init);
        }
        GenerationRequest request = builder.build();
        int downscale = configs.vae().downscale();
        RequestLimits.check(request, downscale, configs.maxClipSkip());
        schedule(request, configs);
        if (request.latents() != null && !request.isImg2Img()) {
            RequestLimits.checkLatents(request.latents(), new long[] {numImages, configs.unet().inChannels(),
                    request.height() / downscale, request.width() / downscale});
        }
        JobMemory.check(configs, model.dtype().bytesPerElement(), request, controls.size(), hiresX4(request),
                catalogue.jobMemoryBytes());
        return new Generation(model, request, controlIds, controls, List.copyOf(wire.getEmbeddingsList()), safetyId,
                previewEvery, wire.getFloatOutput(), wire.getInteractive(),
                session(wire.getSession()));
    }

    /**
     * The request checked as {@link #generation}: numbers first, then the image, whose side may be
     * at most the largest result side over the factor (the output size bounds the input's).
     */
    public Upscaling upscaling(io.fijigen.proto.v1.UpscaleRequest wire) throws IOException {
        ModelEntry model = null;
        GenerationDefaults defaults = GenerationDefaults.NONE;
        PipelineConfigs configs = null;
        if (!wire.getModelId().isEmpty()) {
            model = model("model_id", wire.getModelId());
            if (!model.capabilities().contains(Capability.UPSCALE)) {
                throw invalid("model_id", "model '" + model.id() + "' (" + model.kind().configName()
                        + ") is not an upscaler");
            }
            defaults = model.defaults();
            configs = catalogue.configs(model.id());
        }
        String scheduler = scheduler(wire.getScheduler(), defaults.scheduler());
        GenerationRequest.Builder generation = GenerationRequest.builder(prompt("prompt", wire.getPrompt()))
                .negativePrompt(prompt("negative_prompt", wire.getNegativePrompt()))
                .steps(RequestField.UPSCALE_STEPS.check("steps", wire.getSteps() != 0 ? wire.getSteps()
                        : defaults.steps().orElse(RequestField.UPSCALE_STEPS.defaultInt())))
                .guidance(RequestField.UPSCALE_GUIDANCE.check("guidance", wire.hasGuidance() ? wire.getGuidance()
                        : defaults.guidance().orElse(RequestField.UPSCALE_GUIDANCE.defaultValue())))
                .scheduler(scheduler)
                .seed(seed(wire.hasSeed(), wire.getSeed()));
        if (configs != null) {
            spacingAndEta(generation, wire.getTimestepSpacing(), wire.hasEta() ? OptionalDouble.of(wire.getEta())
                    : OptionalDouble.empty(), defaults, schedulerKind(scheduler, configs));
            schedule(generation.build(), configs);
        }
        int previewEvery = previewEvery(wire.getPreviewEvery());
        int tile = RequestField.TILE.check("tile", wire.getTile() == 0 ? RequestField.TILE.defaultInt() : wire.getTile());
        int overlap = wire.hasTileOverlap() ? wire.getTileOverlap() : RequestField.TILE_OVERLAP.defaultInt();
        if (overlap < 0 || overlap > Tiling.maxOverlap(tile)) {
            throw invalid("tile_overlap", overlap + " is outside 0.." + Tiling.maxOverlap(tile)
                    + " (less than half the tile " + tile + ")");
        }
        int noiseLevel = wire.hasNoiseLevel() ? wire.getNoiseLevel() : RequestField.NOISE_LEVEL.defaultInt();
        if (configs != null) {
            UpscaleRequest.noiseLevels(configs.maxNoiseLevel()).check("noise_level", noiseLevel);
        }
        double factor = RequestField.FACTOR.check("factor",
                wire.getFactor() == 0 ? RequestField.FACTOR.defaultValue() : wire.getFactor());
        // The output bounds the input: a model draws 4× its input before any resampling to the factor.
        double scale = model == null ? factor : Math.max(factor, UpscaleRequest.MODEL_FACTOR);
        double largest = RequestField.IMAGE_SIDE.range().max();
        FieldRange inputSides = FieldRange.ints(ImageFiles.MIN_SIDE, (int) Math.min(largest, Math.floor(largest / scale)));
        HostTensor image;
        if (wire.hasImageTensor()) {
            image = WireTensors.image("image_tensor", wire.getImageTensor(), 3, 1);
            inputSides.check("image_tensor", (int) image.dim(2));
            inputSides.check("image_tensor", (int) image.dim(3));
        } else {
            image = image("image", wire.getImage(), (int) inputSides.max());
        }
        long outWidth = Math.round(image.dim(3) * factor);
        long outHeight = Math.round(image.dim(2) * factor);
        if (!RequestField.IMAGE_SIDE.range().contains(outWidth) || !RequestField.IMAGE_SIDE.range().contains(outHeight)) {
            throw invalid("factor", "upscaling " + image.dim(3) + "x" + image.dim(2) + " by "
                    + FieldRange.number(factor) + " gives " + outWidth + "x" + outHeight + "; a result's sides are "
                    + RequestField.IMAGE_SIDE.range().text());
        }
        if (wire.hasLatents()) {
            generation.latents(WireTensors.of("latents", wire.getLatents()));
        }
        UpscaleRequest request = new UpscaleRequest(generation.build(), image, noiseLevel, new Tiling(tile, overlap),
                factor);
        if (model != null) {
            JobMemory.checkUpscale(upscaler(model, request.tiling()), (int) image.dim(3), (int) image.dim(2),
                    request.generation().numImages(), catalogue.jobMemoryBytes());
        }
        Refinement refine = wire.hasRefine() ? refinement(wire, (int) outHeight, (int) outWidth) : null;
        return new Upscaling(model, request, previewEvery, wire.getFloatOutput(), refine);
    }

    /**
     * A Refine Upscale's tiles, checked as the Generate request of one tile (an img2img of the tile's size
     * with the tile ControlNet on the init image), its errors renamed into the refine message's fields.
     */
    private Refinement refinement(io.fijigen.proto.v1.UpscaleRequest wire, int height, int width) throws IOException {
        Refine refine = wire.getRefine();
        ModelEntry model = model("refine.model_id", refine.getModelId());
        if (!refine.getControlnetId().isEmpty()) {
            model("refine.controlnet_id", refine.getControlnetId());
        }
        int tile = refine.getTile() != 0 ? RequestField.REFINE_TILE.check("refine.tile", refine.getTile())
                : defaultSide(model, model.defaults().width());
        int overlap = refine.hasTileOverlap() ? refine.getTileOverlap() : tile / 4 / MULTIPLE * MULTIPLE;
        if (overlap < 0 || overlap > Tiling.maxOverlap(tile)) {
            throw invalid("refine.tile_overlap", overlap + " is outside 0.." + Tiling.maxOverlap(tile)
                    + " (less than half the tile " + tile + ")");
        }
        Tiling tiling = RefineUpscale.tiling(tile, overlap, height, width);
        GenerateRequest.Builder tileRequest = GenerateRequest.newBuilder()
                .setModelId(model.id())
                .setPrompt(wire.getPrompt())
                .setSteps(refine.getSteps())
                .setScheduler(refine.getScheduler())
                .setTimestepSpacing(refine.getTimestepSpacing())
                .setWidth(tiling.tile())
                .setHeight(tiling.tile())
                .setInitTensor(WireTensors.of(new HostTensor(new float[3 * tiling.tile() * tiling.tile()],
                        new long[] {1, 3, tiling.tile(), tiling.tile()})))
                .setStrength(refine.hasStrength() ? refine.getStrength() : RequestField.REFINE_STRENGTH.defaultValue());
        if (!wire.getNegativePrompt().isEmpty()) {
            tileRequest.setNegativePrompt(wire.getNegativePrompt());
        }
        if (wire.hasSeed()) {
            tileRequest.setSeed(wire.getSeed());
        }
        if (refine.hasGuidance()) {
            tileRequest.setGuidance(refine.getGuidance());
        }
        if (refine.hasEta()) {
            tileRequest.setEta(refine.getEta());
        }
        if (!refine.getControlnetId().isEmpty()) {
            tileRequest.addControls(io.fijigen.proto.v1.ControlUnit.newBuilder().setModelId(refine.getControlnetId()));
        }
        try {
            return new Refinement(generation(tileRequest.build()), tiling.tile(), tiling.overlap());
        } catch (InvalidRequestException e) {
            String field = e.field().startsWith("controls[0]") ? "refine.controlnet_id" : "refine." + e.field();
            String problem = e.getMessage().startsWith(e.field()) ? e.getMessage().substring(e.field().length())
                    : ": " + e.getMessage();
            throw new InvalidRequestException(field, field + problem);
        }
    }

    /** The x4 upscaler of the request's hires fix, as its memory estimate reads it; null for none. */
    private JobMemory.Upscaler hiresX4(GenerationRequest request) throws IOException {
        HiresOptions hires = request.hires();
        return hires != null && hires.upscaler() instanceof HiresUpscaler.X4 x4
                ? upscaler(catalogue.find(x4.id()), UpscaleRequest.DEFAULT_TILING) : null;
    }

    private JobMemory.Upscaler upscaler(ModelEntry model, Tiling tiling) throws IOException {
        return new JobMemory.Upscaler(catalogue.configs(model.id()), model.dtype().bytesPerElement(), tiling);
    }

    /** The hires fix's options; {@link RequestLimits} checks their numbers, whose limits depend on the size. */
    private HiresOptions hires(Hires wire) throws IOException {
        double strength = wire.hasStrength() ? wire.getStrength() : RequestField.HIRES_STRENGTH.defaultValue();
        return new HiresOptions(wire.getScale(), wire.getSteps(), strength, hiresUpscaler(wire.getUpscaler()));
    }

    /** A built-in upscaler by name (empty: the web UI's default, latent), else a registered x4 upscaler. */
    private HiresUpscaler hiresUpscaler(String name) throws IOException {
        String field = "hires.upscaler";
        Optional<HiresUpscaler> builtIn = HiresUpscaler.builtIn(name.isEmpty() ? HiresUpscaler.LATENT : name);
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        ModelEntry entry;
        try {
            entry = catalogue.find(name);
        } catch (UnknownModelException e) {
            throw invalid(field, "'" + name + "' is neither " + HiresUpscaler.LANCZOS + ", " + HiresUpscaler.LATENT
                    + " nor " + HiresUpscaler.LATENT_NEAREST + ", nor a registered upscaler model");
        }
        if (!entry.capabilities().contains(Capability.UPSCALE)) {
            throw invalid(field, "model '" + entry.id() + "' (" + entry.kind().configName() + ") is not an upscaler");
        }
        GenerationDefaults defaults = entry.defaults();
        String scheduler = scheduler("", defaults.scheduler());
        SchedulerKind kind = schedulerKind(scheduler, catalogue.configs(entry.id()));
        return new HiresUpscaler.X4(entry.id(), defaults.steps().orElse(RequestField.UPSCALE_STEPS.defaultInt()),
                defaults.guidance().orElse(RequestField.UPSCALE_GUIDANCE.defaultValue()),
                new SchedulerChoice(scheduler, defaults.timestepSpacing(kind).orElse(null), defaults.eta(kind)), null);
    }

    /** A PNG off the wire, its sides (from the header, before decoding) within {@code sides}' largest. */
    static HostTensor image(String field, ByteString png, RequestField sides) throws IOException {
        return image(field, png, (int) sides.range().max());
    }

    /** A PNG off the wire, its sides checked from the header before decoding: 8 to {@code maxSide}. */
    static HostTensor image(String field, ByteString png, int maxSide) throws IOException {
        if (png.isEmpty()) {
            throw invalid(field, "no image given");
        }
        try {
            return ImageFiles.toTensor(ImageFiles.decode(png.asReadOnlyByteBuffer(), field, maxSide), field);
        } catch (IOException e) {
            throw invalid(field, e.getMessage());
        }
    }

    /**
     * An outpainting's size is its grown image's (on the latent grid, as it is generated), which the
     * job's memory estimate needs; a size given too would say another.
     */
    private static void outpaintSize(GenerationRequest.Builder builder, GenerateRequest wire, Outpaint outpaint,
            HostTensor init) {
        if (wire.getWidth() != 0 || wire.getHeight() != 0) {
            throw invalid(wire.getWidth() != 0 ? "width" : "height", "leave width and height 0 with outpaint: the"
                    + " result is the grown image, its size the init image's and the outpaint sides'");
        }
        if (init != null) {
            int width = outpaint.width((int) init.dim(3));
            int height = outpaint.height((int) init.dim(2));
            builder.size(Outpaint.generatedSide(width), Outpaint.generatedSide(height));
        }
    }

    /** The scheduler a job runs: the one named (by the request or the model's default_scheduler), else its own. */
    private static SchedulerKind schedulerKind(String name, PipelineConfigs configs) {
        return name != null ? SchedulerKind.named(name) : SchedulerKind.of(configs.scheduler());
    }

    /**
     * The request's timestep spacing and eta, else the model's defaults where the job's scheduler
     * reads them: the request's own are checked against the scheduler, the defaults fitted to it.
     */
    private static void spacingAndEta(GenerationRequest.Builder builder, String spacing, OptionalDouble eta,
            GenerationDefaults defaults, SchedulerKind scheduler) {
        builder.timestepSpacing(spacing.isEmpty() ? defaults.timestepSpacing(scheduler).orElse(null) : spacing)
                .eta(eta.isPresent() ? eta : defaults.eta(scheduler));
    }

    /**
     * The checks that the model's own scheduler config decides: the steps (a "leading" schedule with
     * steps_offset reaches past its training timesteps at the most steps; LCM and TCD take at most
     * their original_inference_steps) and whether the scheduler reads a timestep_spacing or eta given.
     */
    private static void schedule(GenerationRequest request, PipelineConfigs configs) {
        try {
            RequestLimits.scheduler(request, configs.scheduler());
        } catch (InvalidRequestException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw invalid("steps", e.getMessage());
        }
    }

    /** The first registered safety model: the one that checks every request asking for it. */
    private String safetyCheckerId() {
        return catalogue.entries().stream()
                .filter(entry -> entry.kind() == ModelKind.SAFETY)
                .map(ModelEntry::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("safety_check: no safety checker model is registered on"
                        + " this server (register one of kind '" + ModelKind.SAFETY.configName() + "')"));
    }

    /** The embedding files the request names by their registered ids, each once. */
    private List<Path> embeddings(List<String> ids) throws IOException {
        List<Path> files = new ArrayList<>();
        Map<String, Integer> named = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String field = "embeddings[" + i + "]";
            ModelEntry entry = model(field, ids.get(i));
            Integer earlier = named.putIfAbsent(entry.id(), i);
            if (earlier != null) {
                throw invalid(field, "embedding '" + entry.id() + "' is already given by embeddings[" + earlier
                        + "] (name each once)");
            }
            try {
                files.add(catalogue.embeddingFile(entry.id()));
            } catch (InvalidRequestException e) {
                throw invalid(field, e.getMessage());
            }
        }
        return files;
    }

    private ModelEntry model(String field, String id) {
        return model(catalogue, field, id);
    }

    /** The registered model named by a request field; NOT_FOUND naming the field when there is none. */
    static ModelEntry model(ModelCatalogue catalogue, String field, String id) {
        if (id.isEmpty()) {
            throw invalid(field, "no model id given");
        }
        try {
            return catalogue.find(id);
        } catch (UnknownModelException e) {
            throw new ModelNotFoundException(field + ": " + e.getMessage());
        }
    }

    /**
     * A generation's side when the request gives no size and no image to take it from: the registry
     * entry's default, else the model's own (its configs are read, not its weights).
     */
    private int defaultSide(ModelEntry model, OptionalInt registered) throws IOException {
        return registered.isPresent() ? registered.getAsInt() : catalogue.nativeSize(model.id());
    }

    /** An interactive job's session name, its length checked: a client names it, the queue keeps it. */
    private static String session(String name) {
        if (!RequestField.SESSION.range().contains(name.length())) {
            throw invalid("session", name.length() + " characters, more than " + FieldRange.number(
                    RequestField.SESSION.range().max()));
        }
        return name;
    }

    /** The prompt, its length and its weights checked (the job parses them again as it encodes). */
    static String prompt(String field, String text) {
        if (!RequestField.PROMPT.range().contains(text.length())) {
            throw invalid(field, text.length() + " characters, more than " + FieldRange.number(
                    RequestField.PROMPT.range().max()));
        }
        try {
            PromptWeightParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
        return text;
    }

    private static String scheduler(String name, Optional<String> modelDefault) {
        String value = name.isEmpty() ? modelDefault.orElse(null) : name;
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

    private static int previewEvery(int every) {
        if (every < 0) {
            throw invalid("preview_every", every + " is negative (0: no previews)");
        }
        return every;
    }

    /** The side asked for, or the fallback rounded down to a multiple of 8; either within the table's range. */
    private static int side(String field, int requested, int fallback) {
        return RequestField.SIDE.check(field, requested != 0 ? requested : fallback - fallback % MULTIPLE);
    }

    /** An error whose message starts with the field's name, as the .proto promises clients. */
    static InvalidRequestException invalid(String field, String problem) {
        return new InvalidRequestException(field, problem.startsWith(field) ? problem : field + ": " + problem);
    }
}
