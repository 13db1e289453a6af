package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics over real HTTP on loopback, after real jobs; token, slow clients, port clashes. */
class MetricsEndpointTest {
    private static final String TOKEN = "s3cret-token";
    private final ServerMetrics idle = new ServerMetrics(() -> 0, () -> 0);

    @Test
    void countsJobsStepsAndTheQueue(@TempDir Path dir) throws Exception {
        // A model whose weights are cut short: its job is admitted and fails on the device.
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), dir.resolve("tiny-sd15"));
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), dir.resolve("broken"));
        ModelCopies.truncate(dir.resolve("broken/unet/diffusion_pytorch_model.safetensors"));
        Path registry = Files.writeString(dir.resolve("registry.yaml"), "roots: [.]\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: broken, kind: sd15, path: broken}\n");
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                LoopbackEngine engine = new LoopbackEngine(registry, 2);
                MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, null, engine.service.metrics())) {
            var stub = EngineGrpc.newBlockingStub(engine.channel);
            WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).setSteps(3).build()));
            assertThatThrownBy(() -> WireRequests.events(stub.generate(WireRequests.fixtureRequest(session)
                    .setModelId("broken").build()))).isInstanceOf(io.grpc.StatusRuntimeException.class);
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

    @Test
    void aHeldUnfinishedRequestDelaysNoOtherScrape() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, null, idle);
                Socket held = new Socket("127.0.0.1", endpoint.port())) {
            held.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            held.getOutputStream().flush();

            long start = System.nanoTime();
            HttpResponse<String> scrape = scrape(endpoint, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("scrape beside a held request: %.3f s%n", seconds);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("fijigen_queue_waiting 0\n");
            assertThat(seconds).isLessThan(1);

            // The held one is closed at the deadline, not kept.
            held.setSoTimeout((int) MetricsEndpoint.DEADLINE.plusSeconds(3).toMillis());
            assertThat(held.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void withATokenAScrapeMustCarryIt() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, TOKEN, idle)) {
            assertThat(scrape(endpoint, null).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = scrape(endpoint, "Bearer wrong-guess");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).isEmpty();
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

            HttpResponse<String> right = scrape(endpoint, "Bearer " + TOKEN);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("# TYPE fijigen_jobs_total counter");
        }
    }

    @Test
    void offLoopbackATokenIsRequiredToStart() {
        assertThatThrownBy(() -> MetricsEndpoint.start("0.0.0.0", 0, null, idle))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a token")
                .hasMessageContaining("--token-file")
                .hasMessageContaining("--metrics-host");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsEndpoint.start("127.0.0.1", taken.getLocalPort(), null, idle))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("metrics port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .hasMessageContaining("--metrics-port");
        }
    }

    private static HttpResponse<String> scrape(MetricsEndpoint endpoint, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                .timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
