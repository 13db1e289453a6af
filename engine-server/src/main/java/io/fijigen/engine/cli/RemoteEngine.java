package io.fijigen.engine.cli;

import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.client.JobCall;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.client.StaticTargets;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        return job(EngineGrpc.getGenerateMethod(), request);
    }

    @Override
    public Result upscale(UpscaleRequest request) {
        return job(EngineGrpc.getUpscaleMethod(), request);
    }

    Image canny(CannyRequest request) {
        return stub.canny(request);
    }

    /** Runs a job to its result; a failed job ends the stream with its status, thrown here. */
    private <M> Result job(MethodDescriptor<M, JobEvent> method, M request) {
        try (ProgressBar progress = ProgressBar.onTerminal(err)) {
            return new JobCall<>(channel, CallOptions.DEFAULT, method, request).run(new JobListener() {
                @Override
                public void queued(String jobId, int position) {
                    err.printf("queued at position %d%n", position);
                    err.flush();
                }

                @Override
                public void step(int step, int total, byte[] previewPng) {
                    progress.onStep(step, total, null);
                }
            });
        }
    }

    /** Closing mid-job cancels the call, and with it the job on the server. */
    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
