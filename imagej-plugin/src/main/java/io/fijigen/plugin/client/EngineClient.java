package io.fijigen.plugin.client;

import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.client.JobCall;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
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
    private volatile JobCall<?> running;

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
        running = job;
        try {
            return job.run(listener != null ? listener : JobListener.NONE);
        } catch (StatusRuntimeException e) {
            if (job.cancelledByUser() && e.getStatus().getCode() == Status.Code.CANCELLED) {
                throw new GenerationCancelledException("the job was cancelled", e);
            }
            throw EngineException.of(e, connection);
        } finally {
            running = null;
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
        JobCall<?> job = running;
        if (job != null) {
            job.cancel();
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
