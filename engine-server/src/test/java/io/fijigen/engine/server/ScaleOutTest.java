package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.client.StaticTargets;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two engine servers behind one client target: calls are spread over both (round_robin), and
 * once one drains (health NOT_SERVING, as on SIGTERM) the client's health checks move every new
 * job to the other while nothing fails.
 */
class ScaleOutTest {
    private static final Pattern SUCCEEDED = Pattern.compile("fijigen_jobs_total\\{outcome=\"succeeded\"} (\\d+)");

    /** One engine: models, queue, service, and a real server on a free loopback port. */
    private record Engine(ResidentModels models, DeviceQueues queue, EngineService service, EngineServer server)
            implements AutoCloseable {
        static Engine start() throws Exception {
            ResidentModels models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(
                    Path.of("../models-config/demo.yaml"))));
            DeviceQueues queue = new DeviceQueues(8);
            EngineService service = new EngineService(models, queue);
            return new Engine(models, queue, service,
                    EngineServer.start(ServerSettings.defaults().withPort(0), service));
        }

        String address() {
            return "127.0.0.1:" + server.port();
        }

        long succeeded() {
            Matcher count = SUCCEEDED.matcher(service.metrics().text());
            return count.find() ? Long.parseLong(count.group(1)) : -1;
        }

        @Override
        public void close() {
            server.shutdown();
            queue.close();
            models.close();
        }
    }

    @Test
    void jobsSpreadOverBothAndMoveOffADrainingEngine() throws Exception {
        try (Engine first = Engine.start(); Engine second = Engine.start()) {
            ManagedChannel channel = ClientChannels.open(StaticTargets.target(List.of(first.address(),
                    second.address())), null, false, null);
            try {
                EngineGrpc.EngineBlockingStub engine = EngineGrpc.newBlockingStub(channel);
                for (int i = 0; i < 6; i++) {
                    assertThat(generate(engine, i).hasResult()).isTrue();
                }
                long onFirst = first.succeeded();
                System.out.printf("scale-out: 6 jobs, %d on the first engine, %d on the second%n", onFirst,
                        second.succeeded());
                // Both used; not necessarily 3 and 3: the first calls go to whichever engine is ready first.
                assertThat(onFirst).isBetween(1L, 5L);
                assertThat(second.succeeded()).isEqualTo(6 - onFirst);

                first.server().drain();
                // The client learns it through its health watch, pushed by the server: give it a moment.
                Thread.sleep(500);
                for (int i = 6; i < 10; i++) {
                    assertThat(generate(engine, i).hasResult()).isTrue();
                }
                System.out.printf("scale-out: after draining the first, 4 more jobs: %d on it, %d on the second%n",
                        first.succeeded() - onFirst, second.succeeded() - (6 - onFirst));
                assertThat(first.succeeded()).isEqualTo(onFirst);
                assertThat(second.succeeded()).isEqualTo(10 - onFirst);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A small job, its events read to the end; the last one. */
    private static JobEvent generate(EngineGrpc.EngineBlockingStub engine, int seed) {
        GenerateRequest request = GenerateRequest.newBuilder()
                .setModelId("tiny-sd15")
                .setPrompt("a lighthouse")
                .setSteps(2)
                .setScheduler("ddim")
                .setWidth(64)
                .setHeight(64)
                .setSeed(seed)
                .build();
        List<JobEvent> events = WireRequests.events(engine.generate(request));
        return events.get(events.size() - 1);
    }
}
