package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The install a new user makes ({@link ManagedEngineScenario}): a fresh ImageJ folder with the
 * update site copied in and no server configured; the only file in ImageJ's preferences is the
 * plugin's model registry, listing the tiny SD 1.5 model. Generate... needs no terminal, a killed
 * engine comes back on the next command with a line in the Log, Server Settings shows the managed
 * engine with its devices and log (as Plugins › fijigen › Engine Log does), and quitting ImageJ leaves no engine process and no token file.
 */
class ManagedEngineWindowIT {
    private static final Path MODELS = Path.of("../engine-server/src/test/resources/parity/models").toAbsolutePath();

    @Test
    void generateStartsTheEngineAKilledEngineIsRestartedAndQuittingLeavesNone() throws Exception {
        Path work = XvfbImageJ.work("managed-engine-test");
        Path fiji = work.resolve("Fiji.app");
        deleteTree(work);
        copyTree(Path.of(System.getProperty("fijigen.updateSite")), fiji);
        Path registry = work.resolve("home/.imagej/fijigen/models.yaml");
        Files.createDirectories(registry.getParent());
        Files.writeString(registry, "roots: ['" + MODELS + "']\n"
                + "models:\n  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n");

        Properties facts = XvfbImageJ.runIn("managed-engine-test", fiji, ManagedEngineScenario.class, work.toString());
        String log = Files.readString(work.resolve("log.txt"));

        assertThat(facts.stringPropertyNames()).as("error messages shown: %s", facts)
                .noneMatch(k -> k.startsWith("error."));
        assertThat(facts.getProperty("engines.before")).isEqualTo("0");
        assertThat(facts.getProperty("first.layers")).isEqualTo("[fijigen] a cell · seed 7 @0 24-bit");
        assertThat(facts.getProperty("second.layers"))
                .isEqualTo("[fijigen] a cell · seed 7 @0 24-bit|[fijigen] a cell · seed 7 @0 24-bit");
        assertThat(facts.getProperty("second.pid")).isNotEqualTo(facts.getProperty("first.pid"));
        assertThat(facts.getProperty("engines.after")).isEqualTo("1");
        assertThat(log).contains("fijigen: the engine had stopped (exit code 137); restarted. Its last lines:\n  ");
        assertThat(facts.getProperty("settings.engine")).isEqualTo("managed");
        assertThat(facts.getProperty("settings.device")).isEqualTo("cpu");
        assertThat(facts.getProperty("settings.devices"))
                .matches("Devices of the engine on this computer: cpu \\(\\d+\\.\\d GiB\\)");
        assertThat(facts.getProperty("engineLog.serving")).as("the restarted engine's serving line").isEqualTo("1");
        assertThat(facts.getProperty("engineLogMenu.serving")).as("the menu command's window").isEqualTo("1");
        assertThat(work.resolve("home/.imagej/fijigen/run")).as("token files").isEmptyDirectory();
        for (String pid : new String[] {facts.getProperty("first.pid"), facts.getProperty("second.pid")}) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                    .as("engine process %s after ImageJ quit", pid).isFalse();
        }
    }

    /** A fresh install each run: no engine jar, preferences or token file of an earlier one. */
    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
