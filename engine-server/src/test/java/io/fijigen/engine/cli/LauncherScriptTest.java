package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fijigen} launcher ({@code src/main/launcher/fijigen}, copied beside the jar by {@code
 * mvn package}) run as a user runs it, through a link on the PATH: it finds the jar beside the
 * script, passes the arguments as they were and JAVA_OPTS to java, and returns the command's exit
 * code. The jar here is a stand-in built from the test classpath, since tests run before packaging.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("src/main/launcher/fijigen");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out) {}

    private Run run(Path command, Map<String, String> environment, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of(command.toString()));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().remove("HF_HOME");
        builder.environment().remove("HF_HUB_CACHE");
        builder.environment().remove("HUGGINGFACE_HUB_CACHE");
        builder.environment().remove("XDG_CACHE_HOME");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), out);
    }

    @Test
    void throughALinkOnThePathItRunsTheJarBesideTheScript() throws Exception {
        assertThat(Files.readString(SCRIPT)).startsWith("#!/bin/sh\n");
        assertThat(Files.isExecutable(SCRIPT)).as("git keeps the script's executable bit").isTrue();
        Path target = Files.createDirectories(dir.resolve("engine-server/target"));
        Path script = Files.copy(SCRIPT, target.resolve("fijigen"));
        StandInJar.write(target.resolve("fijigen-engine.jar"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("fijigen"), script);
        Path home = dir.resolve("home");

        // JAVA_OPTS reaches java, split into its options: the hub cache follows user.home.
        Run models = run(link, Map.of("JAVA_OPTS", "-Xmx256m -Duser.home=" + home), "models");
        assertThat(models.exitCode()).as(models.out()).isZero();
        assertThat(models.out()).contains("hub cache " + home.resolve(".cache/huggingface/hub") + ": no models");

        // An argument with spaces arrives whole, and the command's exit code and error line come back.
        Run missing = run(link, Map.of(), "generate", "--model", dir.resolve("no such model").toString(),
                "--prompt", "a cat", "--out", dir.resolve("out.png").toString());
        assertThat(missing.exitCode()).isEqualTo(ErrorLine.FAILED);
        assertThat(missing.out().strip()).endsWith("error: " + dir.resolve("no such model") + ": model folder not found");

        Run usage = run(link, Map.of(), "generate", "--prompt");
        assertThat(usage.exitCode()).isEqualTo(ErrorLine.BAD_USAGE);
    }
}
