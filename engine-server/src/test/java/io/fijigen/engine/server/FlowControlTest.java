package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that reads nothing while its job runs: the server keeps at most the newest progress
 * event waiting (it does not buffer the whole job's previews), and the result still arrives.
 */
class FlowControlTest {
    private static final int STEPS = 80;

    /** Takes the first event (Queued), then stops reading until told to go on. */
    private static final class SlowClient extends StreamingClient {
        @Override
        public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
            super.beforeStart(requestStream);
            requestStream.disableAutoRequestWithInitial(1);
        }
    }

    @Test
    void aClientThatDoesNotReadGetsTheNewestProgressAndTheResult() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                LoopbackEngine engine = new LoopbackEngine(2)) {
            SlowClient client = new SlowClient();
            // A small receive window makes the transport push back after a few KiB: the job's 80
            // previews (about 0.7 KiB each) overflow it and the server's outbound buffer.
            ManagedChannel narrow = NettyChannelBuilder.forAddress("127.0.0.1", engine.server.getPort()).usePlaintext()
                    .flowControlWindow(1024).build();
            EngineGrpc.newStub(narrow).generate(WireRequests.fixtureRequest(session).clearLatents()
                    .setSteps(STEPS).setGuidance(1).setPreviewEvery(1).build(), client);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!engine.service.metrics().text().contains("fijigen_jobs_total{outcome=\"succeeded\"} 1")) {
                assertThat(System.nanoTime()).as("job finished").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(client.events).hasSize(1);
            client.call.request(Integer.MAX_VALUE);
            assertThat(client.done.await(30, TimeUnit.SECONDS)).isTrue();
            List<Integer> steps = client.events.stream().filter(JobEvent::hasProgress)
                    .map(event -> event.getProgress().getStep()).toList();
            System.out.printf("slow client received %d of %d progress events: %s%n", steps.size(), STEPS, steps);
            assertThat(steps.size()).isLessThan(STEPS);
            assertThat(steps).isSorted().endsWith(STEPS);
            assertThat(client.events.get(client.events.size() - 1).hasResult()).isTrue();
            narrow.shutdownNow();
        }
    }
}
