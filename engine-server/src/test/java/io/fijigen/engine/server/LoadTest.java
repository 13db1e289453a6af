package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 32 clients, 4 jobs each, at once, on a queue of 8: every accepted job completes with its own
 * client's result (its seed and prompt, never another's), positions only ever fall, the overflow
 * is {@code RESOURCE_EXHAUSTED}; latency percentiles and throughput are printed.
 */
class LoadTest {
    private static final int CLIENTS = 32;
    private static final int JOBS_EACH = 4;
    private static final int MAX_QUEUE = 8;

    /** What happened to one job. */
    private record Outcome(boolean accepted, double seconds) {}

    @Test
    void thirtyTwoClientsGetTheirOwnResultsOrAClearRefusal() throws Exception {
        try (LoopbackEngine engine = new LoopbackEngine(MAX_QUEUE)) {
            // Warm: the model loads once, before the clock starts.
            WireRequests.events(EngineGrpc.newBlockingStub(engine.channel).generate(request(-1, 0)));
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                futures.add(clients.submit(() -> {
                    EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel)
                            .withDeadlineAfter(5, TimeUnit.MINUTES);
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int j = 0; j < JOBS_EACH; j++) {
                        outcomes.add(run(stub, client, j));
                    }
                    return outcomes;
                }));
            }
            List<Double> latencies = new ArrayList<>();
            int refused = 0;
            for (Future<List<Outcome>> future : futures) {
                for (Outcome outcome : future.get(10, TimeUnit.MINUTES)) {
                    if (outcome.accepted()) {
                        latencies.add(outcome.seconds());
                    } else {
                        refused++;
                    }
                }
            }
            double wall = (System.nanoTime() - start) / 1e9;
            clients.shutdown();
            Collections.sort(latencies);
            System.out.printf("load: %d clients × %d jobs: %d completed, %d refused (RESOURCE_EXHAUSTED); latency"
                    + " p50 %.2f s, p99 %.2f s; %.2f jobs/s over %.1f s%n", CLIENTS, JOBS_EACH, latencies.size(),
                    refused, percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.size() / wall, wall);
            assertThat(latencies.size() + refused).isEqualTo(CLIENTS * JOBS_EACH);
            assertThat(latencies.size()).isGreaterThanOrEqualTo(MAX_QUEUE + 1);
            assertThat(refused).isPositive();
        }
    }

    /** One job: its events checked as they come; refused jobs end at once with RESOURCE_EXHAUSTED. */
    private static Outcome run(EngineGrpc.EngineBlockingStub stub, int client, int job) {
        long sent = System.nanoTime();
        try {
            Iterator<JobEvent> events = stub.generate(request(client, job));
            int lastPosition = Integer.MAX_VALUE;
            JobEvent last = null;
            while (events.hasNext()) {
                last = events.next();
                if (last.hasQueued()) {
                    assertThat(last.getQueued().getPosition()).as("client %d job %d", client, job)
                            .isLessThan(lastPosition);
                    lastPosition = last.getQueued().getPosition();
                }
            }
            assertThat(last).isNotNull();
            assertThat(last.hasResult()).isTrue();
            // The job's own seed and prompt came back: no result went to the wrong client.
            assertThat(last.getResult().getSeeds(0)).isEqualTo(seed(client, job));
            assertThat(last.getResult().getParameters()).startsWith(prompt(client, job));
            return new Outcome(true, (System.nanoTime() - sent) / 1e9);
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            return new Outcome(false, 0);
        }
    }

    private static GenerateRequest request(int client, int job) {
        return GenerateRequest.newBuilder()
                .setModelId("tiny-sd15")
                .setPrompt(prompt(client, job))
                .setSteps(2)
                .setScheduler("ddim")
                .setWidth(64)
                .setHeight(64)
                .setSeed(seed(client, job))
                .build();
    }

    private static String prompt(int client, int job) {
        return "client " + client + " job " + job;
    }

    private static long seed(int client, int job) {
        return 1000L * (client + 1) + job;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
