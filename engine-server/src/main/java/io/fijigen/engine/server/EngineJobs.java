package io.fijigen.engine.server;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.DataConsistency;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.pipeline.PassProgress;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.RefineUpscale;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.pipeline.Upscale;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import io.fijigen.proto.v1.Consistency;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.ModelRole;
import io.fijigen.proto.v1.ModelUse;
import io.fijigen.proto.v1.Provenance;
import io.fijigen.proto.v1.Result;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The work of a job once its request is admitted: lease its models, run its pipeline, and make its
 * {@link Result}, with its provenance. The gRPC service runs it from its queue; the command line runs it in its own
 * process, with a registry of the models it was given, so that a local run and a served one are
 * the same code from the request message to the result message.
 */
public final class EngineJobs {
    /** Web UIs' short model hash ("AutoV2"): the first hex digits of the model file's SHA-256. */
    private static final int MODEL_HASH_DIGITS = 10;

    private final ResidentModels models;
    private final ModelWeights weights;

    public EngineJobs(ResidentModels models) {
        this.models = models;
        this.weights = new ModelWeights(models.catalogue());
    }

    public Result generate(RequestTranslator.Generation generation, StepListener listener) throws IOException {
        GenerationResult made;
        try (ResidentModels.Lease lease = models.lease(generation.modelIds())) {
            StableDiffusion model = lease.pipeline(generation.model().id());
            made = Pipelines.generate(model, generation.withModels(lease), listener);
        }
        return result(made, generation.uses(), generation.floatOutput());
    }

    public Result upscale(RequestTranslator.Upscaling upscaling, StepListener listener) throws IOException {
        UpscaleRequest request = upscaling.request();
        if (upscaling.model() == null && upscaling.refine() == null) {
            HostTensor resized = Upscale.lanczos(Layouts.nchwToNhwc(request.image()), request.image(),
                    request.factor());
            // No generator ran: the seed a result reports is 0.
            return result(resized, lanczosParameters(request.factor(), resized), 0, List.of(),
                    provenance(upscaling.uses()), upscaling.floatOutput());
        }
        GenerationResult made;
        try (ResidentModels.Lease lease = models.lease(upscaling.modelIds())) {
            StableDiffusion x4 = upscaling.model() == null ? null : lease.pipeline(upscaling.model().id());
            StepListener progress = upscaling.refine() == null ? listener
                    : new PassProgress(listener, refineSteps(upscaling, lease, x4));
            made = x4 == null ? null : Upscale.generate(x4, request, progress);
            if (upscaling.refine() != null) {
                return refine(upscaling, lease, made, progress);
            }
        }
        return result(made, upscaling.uses(), upscaling.floatOutput());
    }

    /** A Refine Upscale's steps: the x4 model's (null: Lanczos enlarges, without steps), then every tile's. */
    private static int refineSteps(RequestTranslator.Upscaling upscaling, ResidentModels.Lease lease,
            StableDiffusion x4) {
        RequestTranslator.Refinement refine = upscaling.refine();
        int[] enlarged = Upscale.resultSize(x4, upscaling.request());
        int tiles = RefineUpscale.steps(lease.pipeline(refine.tiles().model().id()), refine.tiles().request(),
                refine.tile(), refine.overlap(), enlarged[0], enlarged[1]);
        return (x4 == null ? 0 : Upscale.steps(x4, upscaling.request())) + tiles;
    }

    private static String lanczosParameters(double factor, HostTensor resized) {
        return "Upscaled x" + FieldRange.number(factor) + " by Lanczos resampling, Size: " + resized.dim(2) + "x"
                + resized.dim(1);
    }

    /**
     * Refine Upscale's second stage on the x4 model's result ({@code enlarged}), or on the Lanczos enlargement
     * when it is null; its consistency with the input goes into the result.
     */
    private Result refine(RequestTranslator.Upscaling upscaling, ResidentModels.Lease lease, GenerationResult enlarged,
            StepListener listener) throws IOException {
        UpscaleRequest request = upscaling.request();
        RequestTranslator.Refinement refine = upscaling.refine();
        HostTensor image = enlarged != null ? enlarged.images()
                : Upscale.lanczos(Layouts.nchwToNhwc(request.image()), request.image(), request.factor());
        RequestTranslator.Generation tiles = refine.tiles();
        GenerationResult refined = RefineUpscale.refine(lease.pipeline(tiles.model().id()), tiles.withModels(lease),
                Layouts.nhwcToNchw(image), refine.tile(), refine.overlap(), listener);
        DataConsistency consistency = DataConsistency.of(Layouts.nhwcToNchw(refined.images()), request.image());
        Provenance provenance = provenance(upscaling.uses());
        String parameters = refined.parameters(modelHash(provenance)) + RefineUpscale.parameters(request.factor(),
                upscaling.model() == null ? "Lanczos" : upscaling.model().id(), refine.tile(), refine.overlap(),
                tiles.controlIds(), consistency);
        return result(refined.images(), parameters, refined.seed(), List.of(), provenance, upscaling.floatOutput())
                .toBuilder()
                .setConsistency(Consistency.newBuilder().setPsnrDb(consistency.psnr()).setSsim(consistency.ssim()))
                .build();
    }

    /** After the lease: hashing weights that are not hashed yet needs no model in memory. */
    private Result result(GenerationResult made, Map<String, ModelRole> uses, boolean floatOutput) throws IOException {
        Provenance provenance = provenance(uses);
        return result(made.images(), made.parameters(modelHash(provenance)), made.seed(), made.flagged(), provenance,
                floatOutput);
    }

    /** The engine's version and each model used, its weight files hashed (now, where they are not yet). */
    private Provenance provenance(Map<String, ModelRole> uses) throws IOException {
        Provenance.Builder provenance = Provenance.newBuilder().setEngineVersion(EngineVersion.current());
        for (Map.Entry<String, ModelRole> use : uses.entrySet()) {
            provenance.addModels(ModelUse.newBuilder()
                    .setId(use.getKey())
                    .setRole(use.getValue())
                    .addAllFiles(weights.hashed(use.getKey())));
        }
        return provenance.build();
    }

    /** Web UIs write a model hash for a model that is one file (a checkpoint), and none for a folder. */
    private static Optional<String> modelHash(Provenance provenance) {
        return provenance.getModelsList().stream()
                .filter(use -> use.getRole() == ModelRole.MODEL_ROLE_MODEL && use.getFilesCount() == 1)
                .map(use -> use.getFiles(0).getSha256().substring(0, MODEL_HASH_DIGITS))
                .findFirst();
    }

    /**
     * The images as PNGs with their parameters text (and as values with {@code floatOutput}), each
     * with the job's seed.
     */
    private static Result result(HostTensor images, String parameters, long seed, List<Boolean> flagged,
            Provenance provenance, boolean floatOutput) throws IOException {
        Result.Builder builder = Result.newBuilder().setParameters(parameters).setProvenance(provenance);
        int count = (int) images.dim(0);
        for (int i = 0; i < count; i++) {
            BufferedImage image = PngWriter.toImage(images, i);
            builder.addImages(Image.newBuilder()
                    .setPng(ByteString.copyFrom(PngWriter.encode(image, parameters)))
                    .setWidth(image.getWidth())
                    .setHeight(image.getHeight()));
        }
        builder.addAllSeeds(Collections.nCopies(count, seed)).addAllFlagged(flagged);
        if (floatOutput) {
            builder.setPixels(WireTensors.of(images));
        }
        return builder.build();
    }
}
