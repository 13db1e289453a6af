package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Prometheus metrics over real HTTP on loopback, after real jobs. */
class MetricsEndpointTest {

    @Test
    void countsJobsStepsAndTheQueue() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                LoopbackEngine engine = new LoopbackEngine(2);
                MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, engine.service.metrics())) {
            var stub = EngineGrpc.newBlockingStub(engine.channel);
            WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).setSteps(3).build()));
            try {
                WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).setNumImages(2).build()));
            } catch (io.grpc.StatusRuntimeException expected) {
                // latents for one image, two asked: the job fails inside the pipeline.
            }
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body())
                    .contains("# TYPE fijigen_jobs_total counter")
                    .contains("fijigen_jobs_total{outcome=\"succeeded\"} 1\n")
                    .contains("fijigen_jobs_total{outcome=\"failed\"} 1\n")
                    .contains("fijigen_step_seconds_count 3\n")
                    .contains("fijigen_job_seconds_count 2\n")
                    .contains("fijigen_queue_waiting 0\n")
                    .containsPattern("fijigen_models_resident_bytes [1-9]\\d*\n")
                    .containsPattern("fijigen_process_resident_bytes [1-9]\\d*\n");
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics/../secrets")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }
}
