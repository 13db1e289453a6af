package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A scenario run in a real ImageJ on an X display of its own ({@code xvfb-run}, Debian's
 * {@code xvfb}, which {@code .ci/run} installs): a separate JVM with only {@code ij.jar} and the test
 * classes on its class path, and the built, shaded plugin jar in its plugins folder, as users
 * install it. The scenario writes what it saw to {@code scenario.properties} in its folder.
 */
final class XvfbImageJ {
    private XvfbImageJ() {}

    /**
     * Runs {@code scenario}'s main with {@code arguments} after the work folder, under
     * {@code target/<name>/}; returns the facts it wrote.
     */
    static Properties run(String name, Class<?> scenario, String... arguments) throws Exception {
        Path jar = Path.of(System.getProperty("fijigen.pluginJar"));
        assertThat(jar).exists();
        Path work = work(name);
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return runIn(name, work, scenario, arguments);
    }

    /**
     * As {@link #run}, with ImageJ's folder {@code imagej} (its {@code plugins/}, and {@code ij.dir}
     * as Fiji's launcher sets it) holding what the scenario needs installed; the user's home, and in
     * it ImageJ's preferences, is {@code target/<name>/home/}.
     */
    static Properties runIn(String name, Path imagej, Class<?> scenario, String... arguments) throws Exception {
        Path work = work(name);
        Path home = Files.createDirectories(work.resolve("home"));
        List<String> command = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dplugins.dir=" + imagej.resolve("plugins"), "-Dij.dir=" + imagej, "-Duser.home=" + home,
                "-cp", ijJar() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath(),
                scenario.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("scenario.out").toFile());
        // An engine the plugin starts (with model admin, which makes the hub cache a root) keeps it in this home.
        builder.environment().put("HF_HUB_CACHE", home.resolve(".cache/huggingface/hub").toString());
        Process process = builder.start();
        assertThat(process.waitFor(600, TimeUnit.SECONDS)).as("the scenario finishes").isTrue();
        Properties facts = new Properties();
        try (InputStream in = new FileInputStream(work.resolve("scenario.properties").toFile())) {
            facts.load(in);
        }
        assertThat(facts.getProperty("failure")).as(Files.readString(work.resolve("scenario.out"))).isNull();
        return facts;
    }

    /** The scenario's folder, {@code target/<name>/}, absolute. */
    static Path work(String name) {
        return Path.of("target", name).toAbsolutePath();
    }

    private static String ijJar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().matches("ij-[0-9].*\\.jar")) {
                return entry;
            }
        }
        throw new IllegalStateException("ij.jar is not on the test class path");
    }
}
