package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorch of one's own (PYTORCH_LIBRARY_PATH) that is missing or will not load: every command
 * that runs the engine stops with one line that names the setting, not a stack trace, and no
 * command quietly runs on the bundled CPU libtorch instead. Each run is its own JVM, since libtorch
 * loads once per process.
 */
class LibtorchSetupTest {
    private static final String LIBTORCH = System.mapLibraryName("torch");

    @TempDir
    Path dir;

    private static String[] bench() {
        return new String[] {"bench", "--model", ParityFixtures.model("tiny-sd15").toString(), "--width", "64",
            "--height", "64", "--steps", "1", "--warmup", "0", "--repeat", "1"};
    }

    @Test
    void aFolderWithoutLibtorchStopsTheBenchAndTheServer() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String expected = "error: PYTORCH_LIBRARY_PATH=" + empty + " names no libtorch: there is no " + LIBTORCH
                + " there (unset it to use the bundled CPU libtorch)";
        Map<String, String> env = Map.of("PYTORCH_LIBRARY_PATH", empty.toString());
        for (String[] args : new String[][] {bench(),
            {"serve", "--config", Path.of("../models-config/demo.yaml").toString(), "--port", "0"}}) {
            CliProcess run = CliProcess.withEnvironment(env, args);
            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.out().strip().lines()).as(args[0]).last().isEqualTo(expected);
            assertThat(run.out()).as(args[0]).doesNotContain("\tat ").doesNotContain("listening");
        }
    }

    @Test
    void aLibtorchThatWillNotLoadIsOneLineNamingTheCauseAndTheSetting() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve(LIBTORCH), "not an ELF file");
        CliProcess run = CliProcess.withEnvironment(Map.of("PYTORCH_LIBRARY_PATH", broken.toString()), bench());
        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).doesNotContain("\tat ");
        String error = run.out().lines().filter(line -> line.startsWith("error: ")).findFirst().orElseThrow();
        assertThat(error).startsWith("error: libtorch could not be loaded: ")
                .contains(broken.resolve(LIBTORCH).toString())
                .endsWith("(PYTORCH_LIBRARY_PATH=" + broken + ": that folder needs DJL's JNI library,"
                        + " libdjl_torch.so, built against its libtorch)");
    }
}
