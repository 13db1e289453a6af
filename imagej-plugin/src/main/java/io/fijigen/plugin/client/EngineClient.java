package io.fijigen.plugin.client;

import io.fijigen.proto.client.BatchCall;
import io.fijigen.proto.client.BatchListener;
import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.client.JobCall;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.AddModelEvent;
import io.fijigen.proto.v1.AddModelRequest;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.DownloadProgress;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.RemoveModelRequest;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The plugin's client of engine servers: one channel, opened from a {@link Connection}.
 *
 * <p>gRPC failures come out as {@link EngineException}s with readable messages; a cancelled
 * generation as a {@link GenerationCancelledException}.
 */
public final class EngineClient implements AutoCloseable {
    private final Connection connection;
    private final ManagedChannel channel;
    private final EngineGrpc.EngineBlockingStub stub;
    /** Cancels the job or batch running now ({@link #cancel()}); null between them. */
    private volatile Runnable cancelRunning;

    public EngineClient(Connection connection) {
        this.connection = connection;
        try {
            channel = ClientChannels.open(connection.target(), connection.token(), connection.tls(), null);
        } catch (SSLException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
        stub = EngineGrpc.newBlockingStub(channel);
    }

    public Connection connection() {
        return connection;
    }

    /** Whether the server's health service says SERVING (false when it cannot be reached). */
    public boolean serving() {
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                    == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    /** The server's models, devices and schedulers. */
    public ListModelsResponse listModels() throws EngineException {
        try {
            return stub.withDeadlineAfter(30, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw EngineException.of(e, connection);
        }
    }

    /** The Canny edge map of {@code request}'s image, as the engine computes it for ControlNet. */
    public Image canny(CannyRequest request) throws EngineException {
        try {
            return withDeadline(stub).canny(request);
        } catch (StatusRuntimeException e) {
            throw EngineException.of(e, connection);
        }
    }

    /**
     * Runs a generation job and waits for its result, reporting its events to {@code listener}.
     * One job at a time per client: {@link #cancel()} cancels the one running.
     *
     * @throws GenerationCancelledException when the job was cancelled
     * @throws EngineException when the call failed, or the stream ended without a result
     */
    public Result generate(GenerateRequest request, JobListener listener) throws EngineException {
        return runJob(EngineGrpc.getGenerateMethod(), request, listener);
    }

    /** Runs an upscaling job, as {@link #generate}. */
    public Result upscale(UpscaleRequest request, JobListener listener) throws EngineException {
        return runJob(EngineGrpc.getUpscaleMethod(), request, listener);
    }

    private <M> Result runJob(MethodDescriptor<M, JobEvent> method, M request, JobListener listener)
            throws EngineException {
        EngineGrpc.EngineBlockingStub configured = withDeadline(stub);
        JobCall<M> job = new JobCall<>(configured.getChannel(), configured.getCallOptions(), method, request);
        cancelRunning = job::cancel;
        try {
            return job.run(listener != null ? listener : JobListener.NONE);
        } catch (StatusRuntimeException e) {
            throw failure(e, job.cancelledByUser(), "the job was cancelled");
        } finally {
            cancelRunning = null;
        }
    }

    /**
     * Runs jobs as one batch, one after another in the order {@code jobs} gives them, reporting
     * their events, results and (for jobs sent with {@code continue_on_error}) failures to {@code
     * listener} with each job's index. Each job is taken from {@code jobs} once the one before has
     * ended, so a stack's slices can be read one at a time. One job or batch at a time per client:
     * {@link #cancel()} cancels the running job and the rest. The connection's timeout does not
     * apply: it bounds one job, and a batch lasts as long as its jobs.
     *
     * @throws GenerationCancelledException when the batch was cancelled
     * @throws EngineException when the call failed, e.g. a job without {@code continue_on_error}
     *     failed (the message then starts with "job K: ", K counted from 1)
     */
    public void batch(Iterator<BatchJob> jobs, BatchListener listener) throws EngineException {
        BatchCall batch = new BatchCall(stub.getChannel(), stub.getCallOptions(), jobs);
        cancelRunning = batch::cancel;
        try {
            batch.run(listener);
        } catch (StatusRuntimeException e) {
            throw failure(e, batch.cancelledByUser(), "the batch was cancelled");
        } finally {
            cancelRunning = null;
        }
    }

    /**
     * Registers a model on the server (model admin: only an engine started with {@code --allow-model-admin} takes it)
     * and waits until it is: a hub repo is downloaded first, each block's progress told to {@code progress} (on the
     * calling thread). No time limit: a download takes as long as the model is large. {@link #cancel()} stops the
     * download; the server keeps the partial file and the next AddModel of the repo resumes it.
     *
     * @return the model as the server now lists it
     * @throws GenerationCancelledException when it was cancelled
     * @throws EngineException when the server refused it (PERMISSION_DENIED: admin is off; DATA_LOSS: a checksum
     *     mismatch; INVALID_ARGUMENT: a path or files that are no model), or the call failed
     */
    public Model addModel(AddModelRequest request, Consumer<DownloadProgress> progress) throws EngineException {
        // Cancelled through its own ClientCall, not an attached cancellable Context: calls the channel makes for
        // itself while that Context is current (the health watch, when this is the channel's first call) would
        // inherit it and be cancelled with the download, and the next call would find the engine "unreachable".
        ClientCall<AddModelRequest, AddModelEvent> call = channel.newCall(EngineGrpc.getAddModelMethod(),
                stub.getCallOptions());
        AtomicBoolean cancelledByUser = new AtomicBoolean();
        cancelRunning = () -> {
            cancelledByUser.set(true);
            call.cancel("the download was cancelled", null);
        };
        try {
            Iterator<AddModelEvent> events = ClientCalls.blockingServerStreamingCall(call, request);
            while (events.hasNext()) {
                AddModelEvent event = events.next();
                if (event.hasAdded()) {
                    return event.getAdded();
                }
                progress.accept(event.getDownload());
            }
            throw new EngineException(Status.Code.INTERNAL, "the server ended AddModel without the model it added", null);
        } catch (StatusRuntimeException e) {
            throw failure(e, cancelledByUser.get(), "the download was cancelled");
        } finally {
            cancelRunning = null;
        }
    }

    /** Unregisters model {@code id} on the server (model admin, as {@link #addModel}); its files stay. */
    public Model removeModel(String id) throws EngineException {
        try {
            return stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .removeModel(RemoveModelRequest.newBuilder().setId(id).build()).getRemoved();
        } catch (StatusRuntimeException e) {
            throw EngineException.of(e, connection);
        }
    }

    private EngineException failure(StatusRuntimeException e, boolean cancelledByUser, String cancelled) {
        if (cancelledByUser && e.getStatus().getCode() == Status.Code.CANCELLED) {
            return new GenerationCancelledException(cancelled, e);
        }
        return EngineException.of(e, connection);
    }

    /** The stub with the connection's time limit for one call, if it has one. */
    private EngineGrpc.EngineBlockingStub withDeadline(EngineGrpc.EngineBlockingStub s) {
        return connection.timeoutSeconds() > 0 ? s.withDeadlineAfter(connection.timeoutSeconds(), TimeUnit.SECONDS) : s;
    }

    /**
     * Cancels the running generation, batch or model download, if any (from any thread, or from its listener): the
     * call is closed, which cancels the job on the server (and a batch's jobs after it), and {@link
     * #generate} or {@link #batch} throws a {@link GenerationCancelledException}.
     */
    public void cancel() {
        Runnable cancel = cancelRunning;
        if (cancel != null) {
            cancel.run();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
