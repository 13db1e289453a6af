package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.hub.DownloadListener;
import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.hub.LoopbackHub;
import io.fijigen.proto.v1.AddModelEvent;
import io.fijigen.proto.v1.AddModelRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.HubRepo;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import io.fijigen.proto.v1.RemoveModelRequest;
import io.fijigen.proto.v1.RemoveModelResponse;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AddModel and RemoveModel over real gRPC on loopback: an engine with model admin on, its registry in a temporary
 * folder whose roots are a models folder and the engine's hub cache, and a hub on loopback serving tiny-sd15.
 */
class ModelAdminServiceTest {
    static final Path TINY = ParityFixtures.model("tiny-sd15");
    static final String REPO = "org/tiny-sd15";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String REGISTRY = """
            roots:
              - models
              - hub
            memory_budget_mib: 256
            models:
              - id: tiny-sd15
                kind: sd15
                path: tiny-sd15
                default_steps: 2
            """;

    @TempDir
    Path dir;
    Path registry;
    LoopbackHub hub;
    ResidentModels models;
    DeviceQueues queues;
    Server server;
    ManagedChannel channel;
    EngineGrpc.EngineBlockingStub engine;

    @BeforeEach
    void start() throws Exception {
        ModelCopies.copy(TINY, dir.resolve("models/tiny-sd15"));
        Files.createDirectories(dir.resolve("hub"));
        registry = Files.writeString(dir.resolve("registry.yaml"), REGISTRY);
        hub = new LoopbackHub();
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(registry)));
        queues = new DeviceQueues(4);
        HubSettings settings = new HubSettings(hub.endpoint(), dir.resolve("hub"), Optional.empty(), false);
        EngineService service = new EngineService(models, queues, ModelAdmin.on(models, settings, ModelDevice.CPU));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        engine = EngineGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
        awaitBackgroundHashes();
    }

    /**
     * The server hashes its models in the background into a file beside the registry: done, for every model listed
     * (those a test added too), before the folder goes.
     */
    private void awaitBackgroundHashes() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(WeightHashes.cacheFile(registry)) || engine.listModels(ListModelsRequest.getDefaultInstance())
                .getModelsList().stream().flatMap(model -> model.getFilesList().stream())
                .anyMatch(file -> file.getSha256().isEmpty())) {
            assertThat(System.nanoTime()).as("the models hashed within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        awaitBackgroundHashes();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        queues.close();
        models.close();
        hub.close();
    }

    private List<AddModelEvent> add(AddModelRequest request) {
        List<AddModelEvent> events = new ArrayList<>();
        engine.addModel(request).forEachRemaining(events::add);
        return events;
    }

    private static AddModelRequest fromHub(String id) {
        return AddModelRequest.newBuilder().setId(id).setHub(HubRepo.newBuilder().setRepoId(REPO)).build();
    }

    private static AddModelRequest local(Path path) {
        return AddModelRequest.newBuilder().setLocalPath(path.toString()).build();
    }

    private List<String> listedIds() {
        return engine.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream().map(Model::getId)
                .toList();
    }

    /** The ids the registry file holds now, read as a start reads it. */
    private List<String> registeredIds() throws IOException {
        return RegistryConfig.read(registry).models().stream().map(ModelEntry::id).toList();
    }

    private static Map<String, Long> tinyFileSizes() throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(TINY)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                sizes.put(TINY.relativize(file).toString().replace('\\', '/'), Files.size(file));
            }
        }
        return sizes;
    }

    @Test
    void addsAHubRepoWithProgressThenListsItGeneratesWithItAndRemovesIt() throws IOException {
        hub.serve(REPO, "main", COMMIT, TINY, Map.of());

        List<AddModelEvent> events = add(fromHub("hub-tiny"));

        List<AddModelEvent> progress = events.subList(0, events.size() - 1);
        assertThat(progress).allMatch(AddModelEvent::hasDownload);
        Map<String, Long> done = new LinkedHashMap<>();
        Map<String, Long> total = new LinkedHashMap<>();
        progress.forEach(event -> {
            done.put(event.getDownload().getFile(), event.getDownload().getBytesDone());
            total.put(event.getDownload().getFile(), event.getDownload().getBytesTotal());
        });
        // Every file downloaded, each reported complete, at its size.
        assertThat(done).isEqualTo(tinyFileSizes()).isEqualTo(total);
        assertThat(progress.size()).isGreaterThanOrEqualTo(done.size());
        Model added = events.get(events.size() - 1).getAdded();
        assertThat(added.getId()).isEqualTo("hub-tiny");
        assertThat(added.getKind()).isEqualTo(ModelKind.MODEL_KIND_SD15);
        assertThat(added.getFamily()).isEqualTo("sd15");
        assertThat(added.getLoaded()).isFalse();
        assertThat(added.getSizeOnDiskBytes()).isEqualTo(tinyFileSizes().values().stream().mapToLong(Long::longValue).sum());
        assertThat(listedIds()).containsExactly("tiny-sd15", "hub-tiny").isEqualTo(registeredIds());
        assertThat(Files.readString(registry)).contains("hub: org/tiny-sd15");

        List<JobEvent> job = new ArrayList<>();
        engine.generate(GenerateRequest.newBuilder().setModelId("hub-tiny").setPrompt("a lighthouse").setSteps(2)
                .setWidth(64).setHeight(64).setSeed(1).build()).forEachRemaining(job::add);
        assertThat(job.get(job.size() - 1).getResult().getImages(0).getWidth()).isEqualTo(64);
        assertThat(engine.listModels(ListModelsRequest.getDefaultInstance()).getModels(1).getLoaded()).isTrue();

        RemoveModelResponse removed = engine.removeModel(RemoveModelRequest.newBuilder().setId("hub-tiny").build());

        assertThat(removed.getRemoved().getId()).isEqualTo("hub-tiny");
        assertThat(models.isLoaded("hub-tiny")).isFalse();
        assertThat(listedIds()).containsExactly("tiny-sd15").isEqualTo(registeredIds());
        // Its files stay in the cache.
        assertThat(dir.resolve("hub/models--org--tiny-sd15/snapshots").resolve(COMMIT)
                .resolve("unet/diffusion_pytorch_model.safetensors")).exists();
    }

    @Test
    void cancellingTheCallStopsTheDownloadKeepsWhatArrivedAndTheNextAddResumesIt() throws Exception {
        String unetFile = "unet/diffusion_pytorch_model.safetensors";
        byte[] unet = Files.readAllBytes(TINY.resolve(unetFile));
        long held = 1 << 20;
        CountDownLatch release = new CountDownLatch(1);
        hub.serve(REPO, "main", COMMIT, TINY, Map.of()).holdOnce(unet, held, release);
        String before = Files.readString(registry);

        Context.CancellableContext call = Context.current().withCancellation();
        Status cancelled = call.call(() -> GrpcProbes.failure(() -> engine.addModel(fromHub("hub-tiny"))
                .forEachRemaining(event -> {
                    if (event.getDownload().getFile().equals(unetFile)) {
                        call.cancel(null);
                    }
                })));
        // The hold keeps the file from completing until the cancellation has surely reached the server.
        Thread.sleep(300);
        release.countDown();
        Path partial = dir.resolve("hub/models--org--tiny-sd15/blobs").resolve(LoopbackHub.sha256(unet) + ".incomplete");
        long kept = stoppedSize(partial);
        assertThat(cancelled.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(kept).isLessThan(unet.length);
        assertThat(Files.readString(registry)).isEqualTo(before);
        assertThat(listedIds()).containsExactly("tiny-sd15");

        hub.clearRequests();
        List<AddModelEvent> resumed = add(fromHub("hub-tiny"));
        assertThat(resumed.get(0).getDownload().getFile()).isEqualTo(unetFile);
        assertThat(resumed.get(0).getDownload().getBytesDone()).isEqualTo(kept);
        assertThat(hub.requests()).filteredOn(request -> request.path().equals("/lfs/" + LoopbackHub.sha256(unet)))
                .extracting(LoopbackHub.Request::range).containsExactly("bytes=" + kept + "-");
        assertThat(listedIds()).containsExactly("tiny-sd15", "hub-tiny");
    }

    /**
     * The size of a partial download once it has stopped growing: the cancellation stops it at the first block it
     * meets, before the hold or after it. Then the download lets go of the blob's lock.
     */
    private static long stoppedSize(Path partial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long size = -1;
        while (!Files.exists(partial) || Files.size(partial) != size) {
            assertThat(System.nanoTime()).as("the download stopped within 30 s").isLessThan(deadline);
            size = Files.exists(partial) ? Files.size(partial) : -1;
            Thread.sleep(500);
        }
        return size;
    }

    @Test
    void aCorruptDownloadIsRefusedWithTheChecksumMessageAndNothingIsAdded() throws IOException {
        byte[] unet = Files.readAllBytes(TINY.resolve("unet/diffusion_pytorch_model.safetensors"));
        hub.serve(REPO, "main", COMMIT, TINY, Map.of()).corrupt(unet);
        String before = Files.readString(registry);

        Status status = GrpcProbes.failure(() -> add(fromHub("hub-tiny")));

        assertThat(status.getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(status.getDescription()).contains("unet/diffusion_pytorch_model.safetensors of org/tiny-sd15")
                .contains("checksum mismatch, sha256 expected " + LoopbackHub.sha256(unet)).contains("deleted");
        assertThat(Files.readString(registry)).isEqualTo(before);
        assertThat(listedIds()).containsExactly("tiny-sd15");
    }

    @Test
    void addsALocalControlNetFolderAsItsFilesTellAndRefusesAFolderThatIsNoModel() throws IOException {
        Path controlNet = dir.resolve("models/canny");
        ModelCopies.copy(ParityFixtures.model("tiny-controlnet-canny"), controlNet);

        Model added = add(local(controlNet)).get(0).getAdded();

        assertThat(added.getId()).isEqualTo("canny");
        assertThat(added.getKind()).isEqualTo(ModelKind.MODEL_KIND_CONTROLNET);
        assertThat(added.getFamily()).isEqualTo("sd15");
        assertThat(listedIds()).containsExactly("tiny-sd15", "canny").isEqualTo(registeredIds());

        Path notes = Files.createDirectories(dir.resolve("models/notes"));
        Files.writeString(notes.resolve("readme.txt"), "not a model");
        Status notAModel = GrpcProbes.failure(() -> add(local(notes)));
        assertThat(notAModel.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(notAModel.getDescription()).startsWith("local_path: ").contains("models/notes")
                .contains("holds no model the engine can load").contains("neither a diffusers folder");
        assertThat(listedIds()).isEqualTo(registeredIds()).containsExactly("tiny-sd15", "canny");
    }

    @Test
    void aLocalPathOutsideTheRootsOrAnIdTakenIsRefusedAndTheRegistryUnchanged() throws IOException {
        Path elsewhere = dir.resolve("elsewhere/tiny");
        ModelCopies.copy(TINY, elsewhere);
        String before = Files.readString(registry);

        Status outside = GrpcProbes.failure(() -> add(local(elsewhere)));
        Status taken = GrpcProbes.failure(() -> add(local(dir.resolve("models/tiny-sd15"))));
        Status notARepo = GrpcProbes.failure(() -> add(AddModelRequest.newBuilder()
                .setHub(HubRepo.newBuilder().setRepoId("no repo")).build()));

        assertThat(outside.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outside.getDescription()).contains("elsewhere/tiny").contains("outside the registry's roots");
        assertThat(taken.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(taken.getDescription()).isEqualTo("id: model 'tiny-sd15' is registered already: give another id,"
                + " or remove it first");
        assertThat(notARepo.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(notARepo.getDescription()).startsWith("hub.repo_id: 'no repo' is not a hub repo id: give owner/name");
        assertThat(hub.requests()).isEmpty();
        assertThat(Files.readString(registry)).isEqualTo(before);
    }

    @Test
    void aDtypeIsWrittenIntoTheEntryAndFp16IsRefusedOnTheCpuEngineBeforeAnyDownload() throws IOException {
        Path canny = dir.resolve("models/canny");
        ModelCopies.copy(ParityFixtures.model("tiny-controlnet-canny"), canny);

        Model added = add(local(canny).toBuilder().setDtype("fp32").build()).get(0).getAdded();

        assertThat(added.getDtype()).isEqualTo("fp32");
        String written = Files.readString(registry);
        assertThat(written).isEqualTo("""
                roots:
                - models
                - hub
                memory_budget_mib: 256
                models:
                - id: tiny-sd15
                  kind: sd15
                  path: tiny-sd15
                  default_steps: 2
                - id: canny
                  kind: controlnet
                  path: %s
                  dtype: fp32
                  device: cpu
                """.formatted(canny.toRealPath()));

        hub.serve(REPO, "main", COMMIT, TINY, Map.of());
        Status fp16 = GrpcProbes.failure(() -> add(fromHub("hub-tiny").toBuilder().setDtype("fp16").build()));
        Status bf16 = GrpcProbes.failure(() -> add(local(canny).toBuilder().setId("canny-bf16").setDtype("bf16")
                .build()));

        assertThat(fp16.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(fp16.getDescription()).isEqualTo("dtype: fp16 needs device: gpu (the CPU path computes in float32);"
                + " this engine runs the models it adds on the cpu, where an empty dtype means fp32");
        assertThat(bf16.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bf16.getDescription()).startsWith("dtype: 'bf16' is not one of fp32, fp16;");
        assertThat(hub.requests()).as("nothing downloaded").isEmpty();
        assertThat(Files.readString(registry)).isEqualTo(written);
        assertThat(engine.listModels(ListModelsRequest.getDefaultInstance()).getModelsList())
                .extracting(Model::getId, Model::getDtype).containsExactly(tuple("tiny-sd15", "fp32"),
                        tuple("canny", "fp32"));
    }

    /** No GPU is needed to register a model on one: only loading it would need it. */
    @Test
    void anEngineThatAddsModelsOnTheGpuMakesThemFp16UnlessAskedOtherwise() throws IOException {
        ModelCopies.copy(ParityFixtures.model("tiny-controlnet-canny"), dir.resolve("models/canny"));
        ModelAdmin gpu = ModelAdmin.on(models, new HubSettings(hub.endpoint(), dir.resolve("hub"), Optional.empty(),
                false), ModelDevice.GPU);

        ModelEntry auto = gpu.add(local(dir.resolve("models/canny")), DownloadListener.NONE);
        ModelEntry fp32 = gpu.add(local(dir.resolve("models/canny")).toBuilder().setId("canny-fp32").setDtype("fp32")
                .build(), DownloadListener.NONE);

        assertThat(List.of(auto.dtype(), auto.device())).containsExactly(ModelDtype.FP16, ModelDevice.GPU);
        assertThat(List.of(fp32.dtype(), fp32.device())).containsExactly(ModelDtype.FP32, ModelDevice.GPU);
        assertThat(RegistryConfig.read(registry).models()).extracting(ModelEntry::id, ModelEntry::dtype)
                .containsExactly(tuple("tiny-sd15", ModelDtype.FP32), tuple("canny", ModelDtype.FP16),
                        tuple("canny-fp32", ModelDtype.FP32));
    }

    @Test
    void aModelAJobHoldsIsNotRemovedUntilTheJobEnds() throws IOException {
        ModelCopies.copy(ParityFixtures.model("tiny-controlnet-canny"), dir.resolve("models/tiny-controlnet-canny"));
        add(local(dir.resolve("models/tiny-controlnet-canny")));
        RemoveModelRequest remove = RemoveModelRequest.newBuilder().setId("tiny-sd15").build();

        Status inUse;
        try (ResidentModels.Lease job = models.lease(List.of("tiny-sd15"))) {
            inUse = GrpcProbes.failure(() -> engine.removeModel(remove));
        }

        assertThat(inUse.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(inUse.getDescription()).isEqualTo("model 'tiny-sd15' is in use by a job now: remove it when the job"
                + " has ended");
        assertThat(registeredIds()).containsExactly("tiny-sd15", "tiny-controlnet-canny");
        assertThat(engine.removeModel(remove).getRemoved().getLoaded()).isFalse();
        assertThat(models.isLoaded("tiny-sd15")).isFalse();
        assertThat(listedIds()).containsExactly("tiny-controlnet-canny").isEqualTo(registeredIds());
    }

    @Test
    void anUnknownModelIsRefusedAndTheLastOneRemovedLeavesAnEmptyRegistry() throws IOException {
        Status unknown = GrpcProbes.failure(() -> engine.removeModel(RemoveModelRequest.newBuilder().setId("nope").build()));
        engine.removeModel(RemoveModelRequest.newBuilder().setId("tiny-sd15").build());

        assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknown.getDescription()).contains("nope");
        // An empty registry is a valid one (the plugin's managed engine starts with it), read again as such.
        assertThat(registeredIds()).isEmpty();
        assertThat(listedIds()).isEmpty();
    }

    @Test
    void anEngineWithoutModelAdminAnswersPermissionDeniedToEachAdminCall() throws Exception {
        // The demo registry's engine: one on this test's registry would hash its models beside it, in the folder
        // the test is deleting.
        try (LoopbackEngine plain = new LoopbackEngine(4)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(plain.channel);

            Status add = GrpcProbes.failure(() -> stub.addModel(fromHub("hub-tiny")).forEachRemaining(event -> { }));
            Status remove = GrpcProbes.failure(() -> stub.removeModel(
                    RemoveModelRequest.newBuilder().setId("tiny-sd15").build()));

            for (Status status : List.of(add, remove)) {
                assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(status.getDescription())
                        .isEqualTo("model admin is off: start the engine with --allow-model-admin");
            }
        }
        assertThat(hub.requests()).isEmpty();
    }
}
