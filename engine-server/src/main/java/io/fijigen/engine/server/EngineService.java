package io.fijigen.engine.server;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import com.google.protobuf.ByteString;
import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.runtime.TorchRuntime;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.proto.v1.AddModelEvent;
import io.fijigen.proto.v1.AddModelRequest;
import io.fijigen.proto.v1.BatchEvent;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.CancelRequest;
import io.fijigen.proto.v1.CancelResponse;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.Device;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.Progress;
import io.fijigen.proto.v1.Queued;
import io.fijigen.proto.v1.RemoveModelRequest;
import io.fijigen.proto.v1.RemoveModelResponse;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.Started;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fijigen.v1.Engine} service: a thin layer that checks and translates requests,
 * queues jobs, and streams their events. The pipelines do the work.
 */
public final class EngineService extends EngineGrpc.EngineImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(EngineService.class);
    /**
     * Canny calls computed at once, and waiting beyond those; more are RESOURCE_EXHAUSTED. Each
     * call decodes its image (up to 4096², about 0.3 GB while it runs): 40 unbounded concurrent
     * calls held 12.9 GB. Not the device queue: Canny is a quick host-side preview a user waits
     * for, and must not wait behind a minute-long generation.
     */
    static final int CANNY_RUNNING = 2;
    static final int CANNY_WAITING = 4;

    private final ResidentModels models;
    private final DeviceQueues queues;
    private final RequestTranslator translator;
    private final EngineJobs jobs;
    private final ModelWeights weights;
    private final ModelListing listing;
    private final ModelAdmin admin;
    private final ServerMetrics metrics;
    private final ResultMemory resultMemory;
    private final BoundedPool canny = new BoundedPool("Canny", CANNY_RUNNING, CANNY_WAITING);

    public EngineService(ResidentModels models, DeviceQueues queues) {
        this(models, queues, ResultMemory.DEFAULT_BYTES);
    }

    /**
     * Starts hashing every registered model's weight files in the background, for ListModels and the results'
     * provenance.
     *
     * @param resultMemoryBytes the most the server holds of results its clients have not read yet
     */
    public EngineService(ResidentModels models, DeviceQueues queues, long resultMemoryBytes) {
        this(models, queues, resultMemoryBytes, ModelAdmin.off());
    }

    /** @param admin what AddModel and RemoveModel do; {@link ModelAdmin#off()} refuses them */
    public EngineService(ResidentModels models, DeviceQueues queues, ModelAdmin admin) {
        this(models, queues, ResultMemory.DEFAULT_BYTES, admin);
    }

    private EngineService(ResidentModels models, DeviceQueues queues, long resultMemoryBytes, ModelAdmin admin) {
        this.admin = admin;
        this.resultMemory = new ResultMemory(resultMemoryBytes);
        this.models = models;
        this.queues = queues;
        this.translator = new RequestTranslator(models.catalogue());
        this.jobs = new EngineJobs(models);
        this.weights = new ModelWeights(models.catalogue());
        this.listing = new ModelListing(models, weights);
        this.metrics = new ServerMetrics(queues::waitingCount, models::residentBytes);
        weights.hashAllInBackground();
    }

    /** The service's metrics, for a {@link MetricsEndpoint}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> reply) {
        ListModelsResponse.Builder response = ListModelsResponse.newBuilder().addAllSchedulers(SchedulerKind.ids());
        for (ModelEntry entry : models.catalogue().entries()) {
            response.addModels(listing.of(entry));
        }
        response.addDevices(Device.newBuilder().setName("cpu").setMemoryBytes(Runtime.getRuntime().maxMemory()));
        int gpus = TorchRuntime.engine().getGpuCount();
        for (int gpu = 0; gpu < gpus; gpu++) {
            response.addDevices(Device.newBuilder().setName("gpu" + gpu));
        }
        reply.onNext(response.build());
        reply.onCompleted();
    }

    @Override
    public void addModel(AddModelRequest request, StreamObserver<AddModelEvent> reply) {
        try {
            ModelEntry added = admin.add(request, new AddModelProgress(reply, Context.current()));
            reply.onNext(AddModelEvent.newBuilder().setAdded(listing.of(added)).build());
            reply.onCompleted();
        } catch (Exception e) {
            reply.onError(Statuses.of(e).asRuntimeException());
        }
    }

    @Override
    public void removeModel(RemoveModelRequest request, StreamObserver<RemoveModelResponse> reply) {
        try {
            admin.checkOn();
            // Listed before: once removed, its family and files are no longer looked up.
            Model listed = listing.of(models.catalogue().find(request.getId()));
            admin.remove(request.getId());
            reply.onNext(RemoveModelResponse.newBuilder().setRemoved(listed.toBuilder().setLoaded(false)).build());
            reply.onCompleted();
        } catch (Exception e) {
            reply.onError(Statuses.of(e).asRuntimeException());
        }
    }

    @Override
    public void generate(GenerateRequest request, StreamObserver<JobEvent> reply) {
        generate(request, new JobCallEvents((ServerCallStreamObserver<JobEvent>) reply, resultMemory));
    }

    @Override
    public void upscale(UpscaleRequest request, StreamObserver<JobEvent> reply) {
        upscale(request, new JobCallEvents((ServerCallStreamObserver<JobEvent>) reply, resultMemory));
    }

    @Override
    public StreamObserver<BatchJob> batch(StreamObserver<BatchEvent> reply) {
        return new JobBatch((ServerCallStreamObserver<BatchEvent>) reply, resultMemory, this::start);
    }

    /** A batch's job, started as its own Generate or Upscale call would start it. */
    private void start(BatchJob job, JobEvents events) {
        switch (job.getRequestCase()) {
            case GENERATE -> generate(job.getGenerate(), events);
            case UPSCALE -> upscale(job.getUpscale(), events);
            default -> events.failed(Statuses.of(new InvalidRequestException("request",
                    "request: neither generate nor upscale is set")));
        }
    }

    private void generate(GenerateRequest request, JobEvents events) {
        RequestTranslator.Generation generation;
        try {
            generation = translator.generation(request);
        } catch (Exception e) {
            events.failed(Statuses.of(e));
            return;
        }
        JobQueue.Lane lane = new JobQueue.Lane(generation.session().isEmpty()
                ? "connection " + ClientAddress.current() : "session " + generation.session(), generation.interactive());
        submit(queues.of(generation.model().device()), lane, events, cancellation ->
                jobs.generate(generation, progress(events, cancellation, generation.previewEvery())));
    }

    private void upscale(UpscaleRequest request, JobEvents events) {
        RequestTranslator.Upscaling upscaling;
        try {
            upscaling = translator.upscaling(request);
        } catch (Exception e) {
            events.failed(Statuses.of(e));
            return;
        }
        JobQueue queue = queues.of(upscaling.model() != null ? upscaling.model().device()
                : upscaling.refine() != null ? upscaling.refine().tiles().model().device() : ModelDevice.CPU);
        submit(queue, JobQueue.Lane.ORDINARY, events, cancellation ->
                jobs.upscale(upscaling, progress(events, cancellation, upscaling.previewEvery())));
    }

    @Override
    public void canny(CannyRequest request, StreamObserver<Image> reply) {
        try {
            canny.execute(() -> cannyEdges(request, reply));
        } catch (RejectedExecutionException e) {
            reply.onError(Statuses.of(e).asRuntimeException());
        }
    }

    private static void cannyEdges(CannyRequest request, StreamObserver<Image> reply) {
        try {
            double low = request.hasLow() ? request.getLow() : RequestField.CANNY_LOW.defaultValue();
            double high = request.hasHigh() ? request.getHigh() : RequestField.CANNY_HIGH.defaultValue();
            // The numbers before the image: a bad threshold costs no decoding.
            CannyEdges.checkThresholds(low, high);
            BufferedImage image = ImageFiles.decode(request.getImage().asReadOnlyByteBuffer(), "image",
                    (int) RequestField.IMAGE_SIDE.range().max());
            BufferedImage edges = CannyEdges.edges(image, low, high);
            reply.onNext(Image.newBuilder()
                    .setPng(ByteString.copyFrom(PngWriter.encode(edges, "Canny edges")))
                    .setWidth(edges.getWidth())
                    .setHeight(edges.getHeight())
                    .build());
            reply.onCompleted();
        } catch (IOException e) {
            reply.onError(Statuses.of(RequestTranslator.invalid("image", e.getMessage())).asRuntimeException());
        } catch (RuntimeException | OutOfMemoryError e) {
            reply.onError(Statuses.of(e).asRuntimeException());
        }
    }

    @Override
    public void cancel(CancelRequest request, StreamObserver<CancelResponse> reply) {
        reply.onNext(CancelResponse.newBuilder().setCancelled(queues.cancel(request.getJobId())).build());
        reply.onCompleted();
    }

    /** Queues a job whose events go to {@code events}; a client that closes its call cancels it. */
    private void submit(JobQueue queue, JobQueue.Lane lane, JobEvents events, JobBody<Result> body) {
        String jobId = UUID.randomUUID().toString();
        events.onCancel(() -> queue.cancel(jobId));
        long started = System.nanoTime();
        try {
            queue.submit(jobId, lane, body, new JobListener<>() {
                @Override
                public void queued(int position) {
                    events.milestone(JobEvent.newBuilder()
                            .setQueued(Queued.newBuilder().setJobId(jobId).setPosition(position)).build());
                }

                private long startedAt;

                @Override
                public void started() {
                    startedAt = System.nanoTime();
                    events.milestone(JobEvent.newBuilder().setStarted(Started.newBuilder().setJobId(jobId)).build());
                }

                private void ended(ServerMetrics.Outcome outcome) {
                    metrics.jobEnded(outcome, startedAt == 0 ? 0 : (System.nanoTime() - startedAt) / 1e9);
                }

                @Override
                public void succeeded(Result result) {
                    ended(ServerMetrics.Outcome.SUCCEEDED);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    events.result(result.toBuilder().setElapsedSeconds(seconds).build());
                    LOG.info("job {} done: {} image(s), {} s", jobId, result.getImagesCount(),
                            String.format("%.2f", seconds));
                }

                @Override
                public void failed(Throwable error) {
                    ended(ServerMetrics.Outcome.FAILED);
                    LOG.info("job {} failed: {}", jobId, error.toString());
                    events.failed(Statuses.of(error));
                }

                @Override
                public void cancelled() {
                    ended(ServerMetrics.Outcome.CANCELLED);
                    LOG.info("job {} cancelled", jobId);
                    events.failed(Statuses.of(new java.util.concurrent.CancellationException()));
                }

                @Override
                public void dropped() {
                    metrics.jobDropped();
                    LOG.info("job {} dropped: a newer interactive job of its client replaced it", jobId);
                    events.failed(Statuses.of(new JobDroppedException()));
                }
            });
        } catch (QueueFullException | ServerShuttingDownException e) {
            events.failed(Statuses.of(e));
        }
    }

    /**
     * Reports each step (with a latent preview every {@code previewEvery} steps) and stops the job
     * at its next cancellation point, inside a step too, once {@code cancellation} is requested.
     */
    private StepListener progress(JobEvents events, Cancellation cancellation, int previewEvery) {
        return new StepListener() {
            private long last = System.nanoTime();

            @Override
            public boolean onStep(int step, int total, NDArray latents) {
                long now = System.nanoTime();
                metrics.stepTook((now - last) / 1e9);
                last = now;
                Progress.Builder progress = Progress.newBuilder().setStep(step).setTotal(total);
                if (previewEvery > 0 && (step % previewEvery == 0 || step == total)) {
                    try (NDArray first = latents.get(new NDIndex("0:1"))) {
                        progress.setPreviewPng(ByteString.copyFrom(LatentPreview.png(first)));
                    } catch (IOException e) {
                        LOG.debug("preview failed", e);
                    }
                }
                events.progress(progress.build());
                return !cancelled();
            }

            @Override
            public boolean cancelled() {
                return cancellation.requested();
            }
        };
    }
}
