package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Clients that never read their results: what the server holds for them is bounded by its
 * result memory; a result beyond it ends its call with RESOURCE_EXHAUSTED, and once the stalled
 * clients leave, their memory is free again.
 */
class StalledClientsTest {
    /** A 4096-pixel float result is 3 × 512² × 4 B = 3 MiB, plus its PNG: two fit in 8 MiB, three do not. */
    private static final long RESULT_MEMORY = 8L << 20;

    /** Reads nothing at all: its transport window (1 KiB) fills and the server's buffer holds the rest. */
    private static final class StalledClient implements ClientResponseObserver<UpscaleRequest, JobEvent> {
        ClientCallStreamObserver<UpscaleRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<UpscaleRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(0);
        }

        @Override
        public void onNext(JobEvent event) {}

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onCompleted() {}
    }

    private static UpscaleRequest floatUpscale() throws Exception {
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return UpscaleRequest.newBuilder().setImage(ByteString.copyFrom(png.toByteArray())).setFactor(2)
                .setFloatOutput(true).build();
    }

    @Test
    void resultsBeyondTheBoundAreRefusedAndALeavingClientFreesItsShare() throws Exception {
        ResidentModels models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(
                Path.of("../models-config/demo.yaml"))));
        DeviceQueues queues = new DeviceQueues(4);
        EngineServer server = EngineServer.start(ServerSettings.defaults().withPort(0),
                new EngineService(models, queues, RESULT_MEMORY));
        ManagedChannel narrow = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .flowControlWindow(1024).build();
        ManagedChannel reader = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            UpscaleRequest request = floatUpscale();
            List<StalledClient> stalled = List.of(new StalledClient(), new StalledClient());
            for (StalledClient client : stalled) {
                EngineGrpc.newStub(narrow).upscale(request, client);
            }
            // Both jobs done, their results held for the stalled clients.
            Thread.sleep(3000);
            Status refused = GrpcProbes.failure(() -> WireRequests.events(EngineGrpc.newBlockingStub(reader)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).upscale(request)));
            System.out.printf("result memory %d MiB, 2 stalled clients: a third result was %s%n",
                    RESULT_MEMORY >> 20, refused);
            assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getDescription()).contains("MiB the server keeps for results its clients have not read");
            stalled.forEach(client -> client.call.cancel("leaving", null));
            Thread.sleep(500);
            List<JobEvent> served = WireRequests.events(EngineGrpc.newBlockingStub(reader)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).upscale(request));
            assertThat(served.get(served.size() - 1).getResult().getPixels().getShape(2)).isEqualTo(512);
        } finally {
            narrow.shutdownNow();
            reader.shutdownNow();
            server.shutdownWithin(Duration.ZERO);
            queues.close();
            models.close();
        }
    }
}
