package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.hub.LoopbackHub;
import io.fijigen.plugin.LoopbackServer;
import io.fijigen.plugin.ModelsAction;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.client.Settings;
import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.DownloadProgress;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Models...'s core against a loopback engine with model admin on and a hub on loopback serving tiny-sd15: a model
 * added from the hub shows its download's progress and is offered by Generate's dialog at once; a corrupt download is
 * refused with the checksum message and adds nothing.
 */
class ModelsActionTest {
    /** The fixture model, from the module's folder (surefire's working directory). */
    static final Path TINY = Path.of("../engine-server/src/test/resources/parity/models/tiny-sd15");
    static final String REPO = "org/tiny-sd15";
    static final String UNET = "unet/diffusion_pytorch_model.safetensors";

    @TempDir
    Path dir;
    Path registry;
    LoopbackHub hub;
    LoopbackServer server;
    EngineClient client;
    ModelsAction models;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("hub"));
        registry = Files.writeString(dir.resolve("registry.yaml"), "roots:\n  - " + TINY.toRealPath().getParent()
                + "\n  - hub\nmodels:\n  - id: tiny-sd15\n    kind: sd15\n    path: tiny-sd15\n");
        hub = new LoopbackHub();
        server = LoopbackServer.withModelAdmin(registry,
                new HubSettings(hub.endpoint(), dir.resolve("hub"), Optional.empty(), false));
        client = new EngineClient(server.connection());
        models = new ModelsAction(client);
    }

    @AfterEach
    void stop() throws Exception {
        // The engine hashes the listed models' files in the background into a file beside the registry: done
        // before the folder goes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.listModels().getModelsList().stream().flatMap(model -> model.getFilesList().stream())
                .anyMatch(file -> file.getSha256().isEmpty())) {
            assertThat(System.nanoTime()).as("the models hashed within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        client.close();
        server.close();
        hub.close();
    }

    /** What Generate's dialog offers as its model choices. */
    private List<String> generateChoices() throws EngineException {
        return new ServerModels(client.listModels()).with(Capability.CAPABILITY_TXT2IMG);
    }

    @Test
    void aHubModelIsAddedWithProgressAndGenerateOffersItAtOnce() throws Exception {
        hub.serve(REPO, "main", "0123456789abcdef0123456789abcdef01234567", TINY, Map.of());
        assertThat(generateChoices()).containsExactly("tiny-sd15");
        List<DownloadProgress> progress = new ArrayList<>();

        Model added = models.addFromHub(REPO, "", "hub-tiny", ModelsAction.AUTO, progress::add);

        assertThat(added.getId()).isEqualTo("hub-tiny");
        long unetSize = Files.size(TINY.resolve(UNET));
        assertThat(progress).filteredOn(event -> event.getFile().equals(UNET)).last()
                .satisfies(event -> assertThat(List.of(event.getBytesDone(), event.getBytesTotal()))
                        .containsExactly(unetSize, unetSize));
        long files;
        try (Stream<Path> walk = Files.walk(TINY)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        assertThat(progress.stream().map(DownloadProgress::getFile).distinct().count()).isEqualTo(files);
        assertThat(ModelsAction.progressText(progress.get(progress.size() - 1)))
                .matches(".+: \\d+\\.\\d MiB of \\d+\\.\\d MiB");
        assertThat(generateChoices()).containsExactly("tiny-sd15", "hub-tiny");
        assertThat(models.rows()).last().isEqualTo(new ModelsAction.Row("hub-tiny", "sd15", "sd15", "fp32",
                added.getSizeOnDiskBytes(), false));
        assertThat(added.getSizeOnDiskBytes()).isGreaterThan(unetSize);

        assertThat(models.remove("hub-tiny").getId()).isEqualTo("hub-tiny");
        assertThat(generateChoices()).containsExactly("tiny-sd15");
    }

    @Test
    void aCorruptDownloadIsRefusedWithTheChecksumMessageAndNothingIsAdded() throws Exception {
        byte[] unet = Files.readAllBytes(TINY.resolve(UNET));
        hub.serve(REPO, "main", "0123456789abcdef0123456789abcdef01234567", TINY, Map.of()).corrupt(unet);

        assertThatThrownBy(() -> models.addFromHub(REPO, "main", "hub-tiny", ModelsAction.AUTO, progress -> { }))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.code()).isEqualTo(Status.Code.DATA_LOSS))
                .hasMessageContaining(UNET + " of " + REPO + ": checksum mismatch, sha256 expected "
                        + LoopbackHub.sha256(unet))
                .hasMessageContaining("the corrupt download was deleted");
        assertThat(generateChoices()).containsExactly("tiny-sd15");
        assertThat(models.rows()).extracting(ModelsAction.Row::id).containsExactly("tiny-sd15");
    }

    @Test
    void aCancelledDownloadAddsNothingAndTheNextAddCompletes() throws Exception {
        byte[] unet = Files.readAllBytes(TINY.resolve(UNET));
        CountDownLatch release = new CountDownLatch(1);
        hub.serve(REPO, "main", "0123456789abcdef0123456789abcdef01234567", TINY, Map.of())
                .holdOnce(unet, 1 << 20, release);

        // As Esc does from Models...' progress bar: the cancel comes from another thread while the download runs.
        assertThatThrownBy(() -> models.addFromHub(REPO, "main", "hub-tiny", ModelsAction.AUTO, progress -> {
            if (progress.getFile().equals(UNET)) {
                new Thread(models::cancel).start();
            }
        })).isInstanceOf(GenerationCancelledException.class).hasMessage("the download was cancelled");
        // The hold keeps the file from completing until the cancellation has surely reached the engine.
        Thread.sleep(300);
        release.countDown();
        assertThat(generateChoices()).containsExactly("tiny-sd15");

        // The engine keeps the partial file and resumes it (ModelAdminServiceTest checks the Range request).
        assertThat(models.addFromHub(REPO, "main", "hub-tiny", ModelsAction.AUTO, progress -> { }).getId()).isEqualTo("hub-tiny");
        assertThat(generateChoices()).containsExactly("tiny-sd15", "hub-tiny");
    }

    /**
     * A refused AddModel as a fresh client's first call (the channel connects, and starts its health watch, during it)
     * leaves the connection usable: the next call finds the engine. Several clients, as what once broke it (a
     * cancellable Context attached around the call, inherited by the channel's own calls) depended on threads' timing.
     */
    @Test
    void aRefusedAddModelAsTheFirstCallLeavesTheConnectionUsable() throws Exception {
        for (int i = 0; i < 10; i++) {
            try (EngineClient fresh = new EngineClient(server.connection())) {
                assertThatThrownBy(() -> new ModelsAction(fresh).addLocal(dir.resolve("elsewhere").toString(), "x",
                        ModelsAction.AUTO))
                        .isInstanceOfSatisfying(EngineException.class,
                                e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
                assertThat(fresh.listModels().getModelsCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void anEngineWithoutModelAdminRefusesWithTheFlagToStartItWith() throws Exception {
        try (LoopbackServer plain = new LoopbackServer(); EngineClient other = new EngineClient(plain.connection())) {
            assertThatThrownBy(() -> new ModelsAction(other).remove("tiny-sd15"))
                    .isInstanceOfSatisfying(EngineException.class,
                            e -> assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED))
                    .hasMessage("model admin is off: start the engine with --allow-model-admin");
        }
    }

    @Test
    void anEngineWithoutModelsSendsGenerateToModels() throws Exception {
        Settings.save(server.connection().withTimeout(120));
        models.remove("tiny-sd15");

        String printed = MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(GeneratePlugin.class, null,
                "prompt=[a lighthouse] model=tiny-sd15 steps=2 seed=1"));

        assertThat(printed).contains("the engine has no model for this command yet: add one with Plugins › fijigen ›"
                + " Models... (Add from hub, or Add local)");
        assertThat(MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(LivePlugin.class,
                TestImages.gradient(64, 64), ""))).contains("the engine has no model for img2img yet: add one with");

        // Models... on the empty engine, as a new user's next step.
        String added = MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(ModelsPlugin.class, null,
                "action=[Add local] hub=[] revision=[] local=[" + TINY.toRealPath() + "] id=sd15"));

        assertThat(added).contains("fijigen: model sd15 added (sd15, sd15, fp32)");
        assertThat(generateChoices()).containsExactly("sd15");
    }

    @Test
    void theMenuCommandAddsALocalModelAsAMacroRunsIt() throws Exception {
        Settings.save(server.connection().withTimeout(120));
        Path canny = TINY.resolveSibling("tiny-controlnet-canny").toRealPath();

        String printed = MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(ModelsPlugin.class, null,
                "action=[Add local] hub=[] revision=[] local=[" + canny + "] id=canny remove=tiny-sd15"));

        assertThat(printed).contains("fijigen: model canny added (controlnet, sd15, fp32)");
        assertThat(new ServerModels(client.listModels()).of(ModelKind.MODEL_KIND_CONTROLNET)).containsExactly("canny");
    }

    @Test
    void theDtypeChosenInTheMenuCommandIsWrittenIntoTheRegistryAndFp16IsRefusedByTheCpuEngine() throws Exception {
        Settings.save(server.connection().withTimeout(120));
        Path canny = TINY.resolveSibling("tiny-controlnet-canny").toRealPath();

        String printed = MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(ModelsPlugin.class, null,
                "action=[Add local] local=[" + canny + "] id=canny dtype=fp32"));

        assertThat(printed).contains("fijigen: model canny added (controlnet, sd15, fp32)");
        String written = Files.readString(registry);
        assertThat(written).endsWith("""
                - id: canny
                  kind: controlnet
                  path: %s
                  dtype: fp32
                  device: cpu
                """.formatted(canny));
        assertThat(models.rows()).extracting(ModelsAction.Row::id, ModelsAction.Row::dtype)
                .containsExactly(tuple("tiny-sd15", "fp32"), tuple("canny", "fp32"));

        printed = MacroCommandsTest.printed(() -> MacroCommandsTest.runMacro(ModelsPlugin.class, null,
                "action=[Add local] local=[" + canny + "] id=canny-half dtype=fp16"));

        assertThat(printed).contains("fijigen Models: dtype: fp16 needs device: gpu (the CPU path computes in"
                + " float32); this engine runs the models it adds on the cpu, where an empty dtype means fp32");
        assertThat(Files.readString(registry)).isEqualTo(written);
        assertThat(models.rows()).extracting(ModelsAction.Row::id).containsExactly("tiny-sd15", "canny");
    }
}
