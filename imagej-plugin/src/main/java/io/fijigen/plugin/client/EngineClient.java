package io.fijigen.plugin.client;

import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** The job running now, which {@link #cancel()} cancels; null between jobs. */
    private volatile RunningJob running;

    /** A job's call, and whether the user cancelled it. */
    private record RunningJob(ClientCall<?, JobEvent> call, AtomicBoolean cancelled) {}

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
    public Result generate(GenerateRequest request, ProgressListener listener) throws EngineException {
        return runJob(EngineGrpc.getGenerateMethod(), request, listener);
    }

    /** Runs an upscaling job, as {@link #generate}. */
    public Result upscale(UpscaleRequest request, ProgressListener listener) throws EngineException {
        return runJob(EngineGrpc.getUpscaleMethod(), request, listener);
    }

    /**
     * The call is cancelled through itself, not through a cancellable {@code Context}: gRPC may
     * start a subchannel's health-check stream on the calling thread, in the current context, and
     * cancelling that context at the job's end killed the health check too, leaving the channel
     * UNAVAILABLE for the next job.
     */
    private <M> Result runJob(MethodDescriptor<M, JobEvent> method, M request, ProgressListener listener)
            throws EngineException {
        ProgressListener events = listener != null ? listener : ProgressListener.NONE;
        EngineGrpc.EngineBlockingStub configured = withDeadline(stub);
        ClientCall<M, JobEvent> call = configured.getChannel().newCall(method, configured.getCallOptions());
        RunningJob job = new RunningJob(call, new AtomicBoolean());
        running = job;
        try {
            Iterator<JobEvent> stream = ClientCalls.blockingServerStreamingCall(call, request);
            while (stream.hasNext()) {
                JobEvent event = stream.next();
                switch (event.getEventCase()) {
                    case QUEUED -> events.queued(event.getQueued().getJobId(), event.getQueued().getPosition());
                    case STARTED -> events.started(event.getStarted().getJobId());
                    case PROGRESS -> events.step(event.getProgress().getStep(), event.getProgress().getTotal(),
                            event.getProgress().getPreviewPng().toByteArray());
                    case RESULT -> {
                        return event.getResult();
                    }
                    default -> { /* an event a newer server sends: not ours to read */ }
                }
            }
            throw new EngineException(Status.Code.INTERNAL,
                    "INTERNAL: the server ended the job without a result", null);
        } catch (StatusRuntimeException e) {
            if (job.cancelled().get() && e.getStatus().getCode() == Status.Code.CANCELLED) {
                throw new GenerationCancelledException("CANCELLED: the generation was cancelled", e);
            }
            throw EngineException.of(e, connection);
        } finally {
            running = null;
            // A job left early (an exception from a listener) must not keep streaming.
            call.cancel("the client stopped reading the job", null);
        }
    }

    /** The stub with the connection's time limit for one call, if it has one. */
    private EngineGrpc.EngineBlockingStub withDeadline(EngineGrpc.EngineBlockingStub s) {
        return connection.timeoutSeconds() > 0 ? s.withDeadlineAfter(connection.timeoutSeconds(), TimeUnit.SECONDS) : s;
    }

    /**
     * Cancels the running generation, if any (from any thread, or from its listener): the call is
     * closed, which cancels the job on the server, and {@link #generate} throws a
     * {@link GenerationCancelledException}.
     */
    public void cancel() {
        RunningJob job = running;
        if (job != null) {
            job.cancelled().set(true);
            job.call().cancel("cancelled by the user", null);
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
