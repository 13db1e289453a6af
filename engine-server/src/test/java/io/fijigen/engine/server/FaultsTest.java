package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong around a running engine: damaged model files, clients that leave, deadlines
 * that pass in the queue. Each fault is reported as what it is and the engine serves on.
 */
class FaultsTest {

    @Test
    void aDamagedModelIsAPreconditionFailureAndTheOthersAreStillServed(@TempDir Path root) throws Exception {
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), root.resolve("good"));
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), root.resolve("truncated"));
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), root.resolve("scrambled"));
        ModelCopies.truncate(root.resolve("truncated/unet/diffusion_pytorch_model.safetensors"));
        Path scrambled = root.resolve("scrambled/vae/diffusion_pytorch_model.safetensors");
        Files.write(scrambled, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{'});
        Path registry = root.resolve("registry.yaml");
        Files.writeString(registry, "roots: [.]\nmodels:\n"
                + "  - {id: good, kind: sd15, path: good}\n"
                + "  - {id: truncated, kind: sd15, path: truncated}\n"
                + "  - {id: scrambled, kind: sd15, path: scrambled}\n");
        try (LoopbackEngine engine = new LoopbackEngine(registry, 2)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);
            for (String broken : List.of("truncated", "scrambled")) {
                Status status = GrpcProbes.failure(() -> WireRequests.events(stub.generate(small(broken).build())));
                assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                // The file is named as far as the model's folder; the host's folders above it are not shown.
                assertThat(status.getDescription()).contains("damaged or unreadable")
                        .containsPattern("…/" + broken + "/(unet|vae)/diffusion_pytorch_model.safetensors")
                        .doesNotContain(root.toString());
            }
            List<JobEvent> events = WireRequests.events(stub.generate(small("good").build()));
            assertThat(events.get(events.size() - 1).hasResult()).isTrue();
        }
    }

    /**
     * The server's own files at fault: a broken config, a damaged or ambiguous LoRA, a hub repo
     * missing from the cache. Each is FAILED_PRECONDITION (the operator's to restore, not the
     * client's), its message shows no host folder, and the engine serves on.
     */
    @Test
    void brokenServerFilesArePreconditionFailuresThatShowNoHostPath(@TempDir Path root) throws Exception {
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), root.resolve("good"));
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), root.resolve("badconfig"));
        Files.writeString(root.resolve("badconfig/unet/config.json"), "{\"sample_size\": 16, \"in_channels\": ");
        Files.write(root.resolve("damaged.safetensors"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', 0, 0});
        Files.createDirectories(root.resolve("twofiles"));
        Files.copy(ParityFixtures.model("tiny-lora-kohya.safetensors"), root.resolve("twofiles/a.safetensors"));
        Files.copy(ParityFixtures.model("tiny-lora-kohya.safetensors"), root.resolve("twofiles/b.safetensors"));
        Path registry = root.resolve("registry.yaml");
        Files.writeString(registry, "roots: [.]\nmodels:\n"
                + "  - {id: good, kind: sd15, path: good}\n"
                + "  - {id: badconfig, kind: sd15, path: badconfig}\n"
                + "  - {id: damaged, kind: lora, path: damaged.safetensors}\n"
                + "  - {id: twofiles, kind: lora, path: twofiles}\n"
                + "  - {id: missing, kind: sd15, hub: org/missing}\n");
        try (LoopbackEngine engine = new LoopbackEngine(registry, 2)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);
            Map<String, GenerateRequest.Builder> requests = new LinkedHashMap<>();
            requests.put("badconfig", small("badconfig"));
            requests.put("missing", small("missing"));
            requests.put("damaged", small("good").addLoras(Lora.newBuilder().setId("damaged")));
            requests.put("twofiles", small("good").addLoras(Lora.newBuilder().setId("twofiles")));
            for (Map.Entry<String, GenerateRequest.Builder> request : requests.entrySet()) {
                Status status = GrpcProbes.failure(() -> WireRequests.events(stub.generate(request.getValue().build())));
                assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(status.getDescription()).as(request.getKey()).contains("'" + request.getKey() + "'")
                        .doesNotContain(root.toString()).doesNotContain(root.toRealPath().toString())
                        .doesNotContain("Exception");
            }
            List<JobEvent> events = WireRequests.events(stub.generate(small("good").build()));
            assertThat(events.get(events.size() - 1).hasResult()).isTrue();
        }
    }

    /** An id of 9,000 characters is an unknown model, said in a short message, not a header error. */
    @Test
    void aHugeModelIdIsNotFoundWithTheIdCut() throws Exception {
        try (LoopbackEngine engine = new LoopbackEngine(2)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);
            String id = "x".repeat(9_000);
            Status status = GrpcProbes.failure(() -> WireRequests.events(stub.generate(small(id).build())));
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).startsWith("model_id: unknown model '" + "x".repeat(128)
                    + "… (9000 characters)'; known models: ").hasSizeLessThanOrEqualTo(Statuses.MAX_DESCRIPTION);
        }
    }

    @Test
    void aClientLeavingMidStreamCancelsItsJobAndTheNextOneRuns() throws Exception {
        try (LoopbackEngine engine = new LoopbackEngine(2)) {
            StreamingClient leaving = new StreamingClient() {
                @Override
                public void onNext(JobEvent event) {
                    if (event.hasProgress()) {
                        call.cancel("the user closed the window", null);
                    }
                }
            };
            EngineGrpc.newStub(engine.channel).generate(small("tiny-sd15").setSteps(50).setWidth(128).setHeight(128)
                    .build(), leaving);
            assertThat(leaving.done.await(60, TimeUnit.SECONDS)).isTrue();
            awaitMetric(engine, "cancelled", 1);
            List<JobEvent> events = WireRequests.events(EngineGrpc.newBlockingStub(engine.channel)
                    .generate(small("tiny-sd15").build()));
            assertThat(events.get(events.size() - 1).hasResult()).isTrue();
            assertThat(metric(engine, "succeeded")).isEqualTo(1);
        }
    }

    @Test
    void aDeadlinePassingInTheQueueRemovesTheJobAndTheQueueGoesOn() throws Exception {
        try (LoopbackEngine engine = new LoopbackEngine(2)) {
            EngineGrpc.EngineStub async = EngineGrpc.newStub(engine.channel);
            CountDownLatch firstStarted = new CountDownLatch(1);
            StreamingClient first = new StreamingClient() {
                @Override
                public void onNext(JobEvent event) {
                    if (event.hasStarted()) {
                        firstStarted.countDown();
                    }
                }
            };
            async.generate(small("tiny-sd15").setSteps(40).setWidth(128).setHeight(128).build(), first);
            assertThat(firstStarted.await(60, TimeUnit.SECONDS)).isTrue();
            Status late = GrpcProbes.failure(() -> WireRequests.events(EngineGrpc.newBlockingStub(engine.channel)
                    .withDeadlineAfter(300, TimeUnit.MILLISECONDS).generate(small("tiny-sd15").build())));
            assertThat(late.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            awaitMetric(engine, "cancelled", 1);
            assertThat(first.done.await(120, TimeUnit.SECONDS)).isTrue();
            List<JobEvent> events = WireRequests.events(EngineGrpc.newBlockingStub(engine.channel)
                    .generate(small("tiny-sd15").build()));
            assertThat(events.get(events.size() - 1).hasResult()).isTrue();
            assertThat(metric(engine, "succeeded")).isEqualTo(2);
        }
    }

    private static GenerateRequest.Builder small(String model) {
        return GenerateRequest.newBuilder().setModelId(model).setPrompt("a cat").setSteps(2).setScheduler("ddim")
                .setWidth(64).setHeight(64).setSeed(1);
    }

    private static long metric(LoopbackEngine engine, String outcome) {
        Matcher count = Pattern.compile("fijigen_jobs_total\\{outcome=\"" + outcome + "\"} (\\d+)")
                .matcher(engine.service.metrics().text());
        return count.find() ? Long.parseLong(count.group(1)) : -1;
    }

    /** The server ends a cancelled job at its next step: wait for that, briefly. */
    private static void awaitMetric(LoopbackEngine engine, String outcome, long expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (metric(engine, outcome) < expected && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(metric(engine, outcome)).as(outcome + " jobs").isEqualTo(expected);
    }
}
