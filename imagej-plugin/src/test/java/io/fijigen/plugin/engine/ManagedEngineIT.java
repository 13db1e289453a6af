package io.fijigen.plugin.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.ListModelsResponse;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managed engine as the plugin runs it: a real {@code java -jar fijigen-engine.jar serve}
 * process (the jar the update site ships, so after {@code package}) serving the demo registry.
 */
class ManagedEngineIT {
    private static final Path ENGINE_JAR = Path.of(System.getProperty("fijigen.updateSite"),
            "lib/fijigen/fijigen-engine.jar");
    private static final Path DEMO = Path.of("../models-config/demo.yaml").toAbsolutePath();

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private ManagedEngine engine(EngineLaunch launch) {
        return new ManagedEngine(launch, dir.resolve("run"), log::add);
    }

    /** The demo registry's engine; its hub cache (a root with model admin on) in the test's folder. */
    private EngineLaunch demo() {
        return EngineLaunch.of(ENGINE_JAR, DEMO, 1024, EngineDevice.CPU, null)
                .withEnvironment("HF_HUB_CACHE", dir.resolve("hub").toString());
    }

    private static ListModelsResponse models(Connection connection) throws EngineException {
        try (EngineClient client = new EngineClient(connection)) {
            return client.listModels();
        }
    }

    @Test
    void startsOnFirstUseWithAnOwnerOnlyTokenAndStopsLeavingNoProcess() throws Exception {
        ManagedEngine engine = engine(demo());
        try {
            assertThat(engine.pid()).isEmpty();
            Connection connection = engine.connection();
            long pid = engine.pid().orElseThrow();
            assertThat(connection.host()).isEqualTo("127.0.0.1");
            assertThat(models(connection).getModelsCount()).isEqualTo(6);
            assertThat(engine.connection()).as("the running engine again").isSameAs(connection);

            try (var tokens = Files.list(dir.resolve("run"))) {
                Path token = tokens.findFirst().orElseThrow();
                assertThat(Files.readString(token)).isEqualTo(connection.token()).hasSize(64);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            }
            assertThatThrownBy(() -> models(connection.withToken(null))).isInstanceOf(EngineException.class)
                    .extracting(e -> ((EngineException) e).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(engine.output()).anyMatch(line -> line.startsWith("fijigen engine serving 6 models on 127.0.0.1:"
                    + connection.port() + " (plaintext, token required)"));

            engine.stop();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("engine process").isFalse();
            assertThat(dir.resolve("run")).isEmptyDirectory();
            assertThat(log).isEmpty();
        } finally {
            engine.close();
        }
    }

    @Test
    void anEngineThatDiedIsRestartedByTheNextCommandWhichSaysSoWithItsLastLines() throws Exception {
        ManagedEngine engine = engine(demo());
        try {
            engine.connection();
            long first = engine.pid().orElseThrow();
            ProcessHandle killed = ProcessHandle.of(first).orElseThrow();
            killed.destroyForcibly();
            killed.onExit().get(30, TimeUnit.SECONDS);

            Connection again = engine.connection();
            assertThat(engine.pid().orElseThrow()).isNotEqualTo(first);
            assertThat(models(again).getModelsCount()).isEqualTo(6);
            assertThat(log).hasSize(1);
            assertThat(log.get(0)).startsWith("fijigen: the engine had stopped (exit code 137); restarted. Its last"
                    + " lines:\n  ").contains("fijigen engine serving 6 models on 127.0.0.1:");
        } finally {
            engine.close();
        }
    }

    @Test
    void twoFijisOnOneComputerEachGetTheirOwnEngine() throws Exception {
        try (ManagedEngine one = engine(demo()); ManagedEngine two = engine(demo())) {
            Connection first = one.connection();
            Connection second = two.connection();
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(first.token()).isNotEqualTo(second.token());
            assertThat(one.pid()).isNotEqualTo(two.pid());
            assertThat(models(first).getModelsCount()).isEqualTo(6);
            assertThat(models(second).getModelsCount()).isEqualTo(6);
        }
    }

    @Test
    void aGpuEngineThatCannotFetchItsCudaLibtorchSaysWhatToDownloadAndWhereToPutIt() {
        // DJL's own offline switch: the same failure as a computer without a network, on any computer.
        ManagedEngine engine = engine(EngineLaunch.of(ENGINE_JAR, DEMO, 1024, EngineDevice.GPU, null)
                .withEnvironment("HF_HUB_CACHE", dir.resolve("hub").toString())
                .withEnvironment("JAVA_TOOL_OPTIONS", "-Dai.djl.offline=true"));
        try {
            assertThatThrownBy(engine::connection).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the engine stopped before serving (exit code 1). Its last lines:")
                    .hasMessageContaining("libtorch could not be loaded")
                    .hasMessageContaining("For the GPU: the GPU needs libtorch 2.7.1 for CUDA 12.8, which the engine"
                            + " downloads on first use and could not (offline?). Download"
                            + " libtorch-cxx11-abi-shared-with-deps-2.7.1+cu128.zip")
                    .hasMessageContaining("libdjl_torch.so for it (DJL 0.36.0, pytorch 2.7.1, linux-x86_64, cu128)")
                    .hasMessageEndingWith("then set that folder as 'libtorch folder' in Plugins › fijigen › Server"
                            + " Settings... (or choose Device: CPU)");
            assertThat(engine.pid()).isEmpty();
        } finally {
            engine.close();
        }
    }

    @Test
    void aMissingEngineJarSaysWhereItShouldBe() {
        Path missing = dir.resolve("Fiji.app/lib/fijigen/fijigen-engine.jar");
        assertThatThrownBy(() -> EngineLaunch.of(missing, DEMO, 1024, EngineDevice.CPU, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the engine jar " + missing + " does not exist: install the fijigen update site (it puts it"
                        + " in lib/fijigen/ of Fiji), or set its path in Server Settings");
    }
}
