package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's stop over loopback with a short grace: the queued jobs end at once with UNAVAILABLE,
 * the running one gets the grace and then stops promptly (CANCELLED), or, when it finishes within
 * the grace, its client gets its result.
 */
class ShutdownGraceTest {
    private static final Duration GRACE = Duration.ofSeconds(3);
    /**
     * How long after the grace the running job may take to stop: it stops before its next UNet
     * call, but the call under way finishes first (up to 4 s for the tiny model's 128² guided
     * step on this machine's two shared cores).
     */
    private static final double STOP_BOUND_S = 5;

    /** A client that also keeps how its call ended, and when. */
    private static final class EndingClient extends StreamingClient {
        volatile Status status = Status.OK;
        volatile long endedAt;

        @Override
        public void onError(Throwable error) {
            status = Status.fromThrowable(error);
            endedAt = System.nanoTime();
            super.onError(error);
        }

        @Override
        public void onCompleted() {
            endedAt = System.nanoTime();
            super.onCompleted();
        }
    }

    private ParityFixtures.Session session;
    private ResidentModels models;
    private DeviceQueues queues;
    private EngineServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        session = new ParityFixtures.Session();
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(Path.of("../models-config/demo.yaml"))));
        queues = new DeviceQueues(4);
        server = EngineServer.start(ServerSettings.defaults().withPort(0).withShutdownGrace(GRACE),
                new EngineService(models, queues));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownWithin(Duration.ZERO);
        queues.close();
        models.close();
        session.close();
    }

    /** Sends {@code request} once, then four more that wait behind it; returns once the first has started. */
    private List<EndingClient> oneRunningFourWaiting(GenerateRequest request) throws InterruptedException {
        List<EndingClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EndingClient client = new EndingClient();
            EngineGrpc.newStub(channel).generate(request, client);
            clients.add(client);
            if (i == 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (client.events.stream().noneMatch(JobEvent::hasProgress)) {
                    assertThat(System.nanoTime()).as("first job's first step").isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
        }
        for (EndingClient waiting : clients.subList(1, 5)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiting.events.isEmpty()) {
                assertThat(System.nanoTime()).as("queued").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(waiting.events.get(0).getQueued().getPosition()).isPositive();
        }
        return clients;
    }

    @Test
    void waitingJobsEndAtOnceAndTheRunningOneIsCancelledAtTheGrace() throws Exception {
        List<EndingClient> clients = oneRunningFourWaiting(WireRequests.fixtureRequest(session).clearLatents()
                .setSteps(300).build());
        long stopping = System.nanoTime();
        boolean finished = GracefulStop.stop(server, queues, GRACE);
        double seconds = (System.nanoTime() - stopping) / 1e9;
        for (EndingClient client : clients) {
            assertThat(client.done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        double running = (clients.get(0).endedAt - stopping) / 1e9;
        double waiting = clients.subList(1, 5).stream().mapToDouble(c -> (c.endedAt - stopping) / 1e9).max().orElseThrow();
        System.out.printf("shutdown, grace %d s, 1 running + 4 queued: queued ended after %.2f s, running after"
                + " %.2f s, stop took %.2f s%n", GRACE.toSeconds(), waiting, running, seconds);
        assertThat(finished).isFalse();
        assertThat(clients.get(0).status.getCode()).isEqualTo(Status.Code.CANCELLED);
        clients.subList(1, 5).forEach(client -> {
            assertThat(client.status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(client.status.getDescription()).contains("shutting down");
        });
        assertThat(waiting).isLessThan(1);
        assertThat(running).isBetween((double) GRACE.toSeconds(), GRACE.toSeconds() + STOP_BOUND_S);
        assertThat(seconds).isLessThan(GRACE.toSeconds() + STOP_BOUND_S + GracefulStop.FLUSH.toSeconds());
    }

    @Test
    void aJobThatFinishesWithinTheGraceDeliversItsResult() throws Exception {
        List<EndingClient> clients = oneRunningFourWaiting(WireRequests.fixtureRequest(session).setSteps(5).build());
        long stopping = System.nanoTime();
        boolean finished = GracefulStop.stop(server, queues, Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - stopping) / 1e9;
        assertThat(clients.get(0).done.await(5, TimeUnit.SECONDS)).isTrue();
        System.out.printf("shutdown, grace 60 s, a 5-step job running: stop took %.2f s%n", seconds);
        assertThat(finished).isTrue();
        assertThat(clients.get(0).status.getCode()).isEqualTo(Status.Code.OK);
        List<JobEvent> events = clients.get(0).events;
        assertThat(events.get(events.size() - 1).getResult().getImagesCount()).isEqualTo(1);
        assertThat(seconds).isLessThan(30);
    }
}
