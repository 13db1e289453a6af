package io.fijigen.proto.client;

import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;

/**
 * One job on an engine, a Generate or Upscale call: {@link #run} sends the request, reports the
 * job's events to a {@link JobListener} and returns its {@code Result}; {@link #cancel()} ends it
 * from any thread. The command line and the Fiji plugin both read jobs through this class.
 *
 * <p>Every failure comes out of {@link #run} as a {@link StatusRuntimeException} with the call's
 * status: the server's (INVALID_ARGUMENT, NOT_FOUND, …), the deadline's, CANCELLED after
 * {@link #cancel()}, or INTERNAL when the stream ends without a result. {@link #cancelledByUser()}
 * tells the user's cancel from the server's (its Cancel call, or a server shutting down). A
 * listener's exception comes out as it is, the call cancelled: the job does not stream on.
 *
 * <p>The call is cancelled through itself, not through a cancellable {@code Context}: gRPC may
 * start a subchannel's health-check stream on the calling thread, in the current context, and
 * cancelling that context at the job's end killed the health check too, leaving the channel
 * UNAVAILABLE for the next job.
 *
 * @param <M> the request message
 */
public final class JobCall<M> {
    private static final String NO_RESULT = "the server ended the job without a result";
    private static final String CANCELLED_BY_USER = "cancelled by the user";

    private final ClientCall<M, JobEvent> call;
    private final M request;
    // Guarded by this: a cancel before the call starts must keep it from starting.
    private boolean started;
    private boolean cancelledByUser;

    /**
     * A job not yet sent.
     *
     * @param options the call's options, its deadline among them
     * @param method {@code EngineGrpc.getGenerateMethod()} or {@code EngineGrpc.getUpscaleMethod()}
     */
    public JobCall(Channel channel, CallOptions options, MethodDescriptor<M, JobEvent> method, M request) {
        this.call = channel.newCall(method, options);
        this.request = request;
    }

    /**
     * Sends the job and follows its events to its result, on the calling thread. Once only.
     *
     * @throws StatusRuntimeException when the call failed, was cancelled, or ended without a result
     */
    public Result run(JobListener listener) {
        Iterator<JobEvent> events = start();
        try {
            while (events.hasNext()) {
                JobEvent event = events.next();
                switch (event.getEventCase()) {
                    case QUEUED -> listener.queued(event.getQueued().getJobId(), event.getQueued().getPosition());
                    case STARTED -> listener.started(event.getStarted().getJobId());
                    case PROGRESS -> listener.step(event.getProgress().getStep(), event.getProgress().getTotal(),
                            event.getProgress().getPreviewPng().toByteArray());
                    case RESULT -> {
                        return event.getResult();
                    }
                    default -> { /* an event a newer server sends: not ours to read */ }
                }
            }
            throw Status.INTERNAL.withDescription(NO_RESULT).asRuntimeException();
        } finally {
            // A job left early (a listener's exception) must not keep streaming; after the result, a no-op.
            call.cancel("the client stopped reading the job", null);
        }
    }

    private synchronized Iterator<JobEvent> start() {
        if (started) {
            throw new IllegalStateException("a job call runs once");
        }
        if (cancelledByUser) {
            throw Status.CANCELLED.withDescription(CANCELLED_BY_USER).asRuntimeException();
        }
        started = true;
        return ClientCalls.blockingServerStreamingCall(call, request);
    }

    /**
     * Cancels the job, from any thread (or from its listener): the call is closed, which cancels
     * the job on the server, and {@link #run} throws CANCELLED; a job not yet sent is never sent.
     * After the result, nothing happens.
     */
    public synchronized void cancel() {
        cancelledByUser = true;
        if (started) {
            call.cancel(CANCELLED_BY_USER, null);
        }
    }

    /** Whether {@link #cancel()} was called: a CANCELLED status from {@link #run} is then the user's cancel. */
    public synchronized boolean cancelledByUser() {
        return cancelledByUser;
    }
}
