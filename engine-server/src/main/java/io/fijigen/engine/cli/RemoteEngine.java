package io.fijigen.engine.cli;

import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.client.StaticTargets;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine on one or more servers, as the command line uses it: sends a job, reports its queue
 * position and progress as a local run does, and returns its result.
 */
final class RemoteEngine implements CommandEngine {
    private final ManagedChannel channel;
    private final EngineGrpc.EngineBlockingStub stub;
    private final PrintWriter err;

    private RemoteEngine(ManagedChannel channel, PrintWriter err) {
        this.channel = channel;
        this.stub = EngineGrpc.newBlockingStub(channel);
        this.err = err;
    }

    static RemoteEngine open(List<String> servers, String token, boolean tls, Path trustCert,
            PrintWriter err) throws IOException {
        return new RemoteEngine(ClientChannels.open(StaticTargets.target(servers), token, tls, trustCert), err);
    }

    @Override
    public Result generate(GenerateRequest request) {
        return job(stub.generate(request));
    }

    @Override
    public Result upscale(UpscaleRequest request) {
        return job(stub.upscale(request));
    }

    Image canny(CannyRequest request) {
        return stub.canny(request);
    }

    /** Follows a job's events to its result; a failed job ends the stream with its status, thrown here. */
    private Result job(Iterator<JobEvent> events) {
        try (ProgressBar progress = ProgressBar.onTerminal(err)) {
            while (events.hasNext()) {
                JobEvent event = events.next();
                switch (event.getEventCase()) {
                    case QUEUED -> {
                        err.printf("queued at position %d%n", event.getQueued().getPosition());
                        err.flush();
                    }
                    case PROGRESS -> progress.onStep(event.getProgress().getStep(), event.getProgress().getTotal(), null);
                    case RESULT -> {
                        return event.getResult();
                    }
                    default -> { }
                }
            }
        }
        throw new IllegalStateException("the server ended the job without a result");
    }

    /** Closing mid-job cancels the call, and with it the job on the server. */
    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
