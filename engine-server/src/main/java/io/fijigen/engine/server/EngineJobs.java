package io.fijigen.engine.server;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.pipeline.Upscale;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.Result;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * The work of a job once its request is admitted: lease its models, run its pipeline, and make its
 * {@link Result}. The gRPC service runs it from its queue; the command line runs it in its own
 * process, with a registry of the models it was given, so that a local run and a served one are
 * the same code from the request message to the result message.
 */
public final class EngineJobs {
    private final ResidentModels models;

    public EngineJobs(ResidentModels models) {
        this.models = models;
    }

    public Result generate(RequestTranslator.Generation generation, StepListener listener) throws IOException {
        try (ResidentModels.Lease lease = models.lease(generation.modelIds())) {
            StableDiffusion model = lease.pipeline(generation.model().id());
            return result(Pipelines.generate(model, generation.withModels(lease), listener), generation.floatOutput());
        }
    }

    public Result upscale(RequestTranslator.Upscaling upscaling, StepListener listener) throws IOException {
        if (upscaling.model() == null) {
            HostTensor image = upscaling.request().image();
            double factor = upscaling.request().factor();
            HostTensor resized = Upscale.lanczos(Layouts.nchwToNhwc(image), image, factor);
            String parameters = "Upscaled x" + FieldRange.number(factor) + " by Lanczos resampling, Size: "
                    + resized.dim(2) + "x" + resized.dim(1);
            // No generator ran: the seed a result reports is 0.
            return result(resized, parameters, 0, List.of(), upscaling.floatOutput());
        }
        try (ResidentModels.Lease lease = models.lease(List.of(upscaling.model().id()))) {
            return result(Upscale.generate(lease.pipeline(upscaling.model().id()), upscaling.request(), listener),
                    upscaling.floatOutput());
        }
    }

    private static Result result(GenerationResult result, boolean floatOutput) throws IOException {
        return result(result.images(), result.parameters(), result.seed(), result.flagged(), floatOutput);
    }

    /**
     * The images as PNGs with their parameters text (and as values with {@code floatOutput}), each
     * with the job's seed.
     */
    private static Result result(HostTensor images, String parameters, long seed, List<Boolean> flagged,
            boolean floatOutput) throws IOException {
        Result.Builder builder = Result.newBuilder().setParameters(parameters);
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
