package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.server.ConnectionLimits;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fijigen serve} as a process: it serves the demo registry and stops cleanly on SIGTERM. */
class ServeCommandTest {

    @Test
    void connectionLimitOptionsDefaultToTheServersDefaults() {
        ServeCommand defaults = new ServeCommand();
        new CommandLine(defaults).parseArgs("--config", "x.yaml");
        assertThat(defaults.connectionLimits()).isEqualTo(ConnectionLimits.defaults());

        ServeCommand set = new ServeCommand();
        new CommandLine(set).parseArgs("--config", "x.yaml", "--max-connections", "9", "--max-calls-per-connection", "8",
                "--max-health-watches", "7", "--idle-timeout-s", "6", "--handshake-timeout-s", "5");
        assertThat(set.connectionLimits()).isEqualTo(new ConnectionLimits(9, 8, 7, Duration.ofSeconds(6),
                Duration.ofSeconds(5)));
    }

    @Test
    void modelAdminWithANonLoopbackHostIsRefusedNamingBoth() {
        CliRun run = CliRun.of("serve", "--config", "../models-config/demo.yaml", "--allow-model-admin",
                "--host", "0.0.0.0", "--port", "0");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--allow-model-admin refuses --host 0.0.0.0").contains("loopback only")
                .contains("--host 127.0.0.1");
        assertThat(run.out()).doesNotContain("serving");
    }

    private static Process serve(String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), FijigenCli.class.getName(),
                "serve", "--config", "../models-config/demo.yaml", "--port", "0", "--metrics-port", "0"));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void withExitOnStdinCloseTheServerStopsWhenItsParentClosesItsInput() throws Exception {
        Process process = serve("--exit-on-stdin-close", "--device", "cpu");
        try {
            int port = port(process);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                channel.shutdownNow();
            }
            assertThat(process.isAlive()).isTrue();
            process.getOutputStream().close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped when stdin closed").isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anUnknownDeviceIsRefusedByName() throws Exception {
        CliProcess run = CliProcess.run("serve", "--config", "../models-config/demo.yaml", "--port", "0", "--device",
                "tpu");
        assertThat(run.exitCode()).as(run.out()).isNotZero();
        assertThat(run.out()).contains("--device tpu is not one of cpu, gpu").doesNotContain("\tat ");
    }

    /** The port from the serving line; the process's later output is drained so it never blocks. */
    private static int port(Process process) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern serving = Pattern.compile("serving \\d+ models on 127.0.0.1:(\\d+)");
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher matcher = serving.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("the server never said it was serving");
    }

    @Test
    void aJobRunningAtSigtermFinishesAndTheServerExitsZero() throws Exception {
        Process process = serve();
        try {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port(process)).usePlaintext().build();
            try {
                Iterator<JobEvent> events = EngineGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
                        .generate(GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cat")
                                .setSteps(12).setWidth(128).setHeight(128).build());
                JobEvent event = events.next();
                while (!event.hasStarted()) {
                    event = events.next();
                }
                process.destroy();
                while (events.hasNext()) {
                    event = events.next();
                }
                assertThat(event.hasResult()).as("the running job's last event").isTrue();
                assertThat(event.getResult().getImagesCount()).isEqualTo(1);
            } finally {
                channel.shutdownNow();
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void servesTheDemoRegistryAndStopsOnSigterm() throws Exception {
        Process process = serve();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern serving = Pattern.compile("fijigen engine serving (\\d+) models on 127.0.0.1:(\\d+) \\(plaintext, no token\\)");
            Matcher matcher = null;
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Matcher candidate = serving.matcher(line);
                if (candidate.find()) {
                    matcher = candidate;
                    break;
                }
            }
            assertThat(matcher).as("the serving line").isNotNull();
            Matcher metricsLine = Pattern.compile("metrics at http://127.0.0.1:(\\d+)/metrics").matcher(output.readLine());
            assertThat(metricsLine.find()).isTrue();
            var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + metricsLine.group(1) + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("fijigen_queue_waiting 0");
            int port = Integer.parseInt(matcher.group(2));
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                assertThat(EngineGrpc.newBlockingStub(channel).listModels(ListModelsRequest.getDefaultInstance())
                        .getModelsCount()).isEqualTo(Integer.parseInt(matcher.group(1))).isEqualTo(6);
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                channel.shutdownNow();
            }
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
    }
}
