package io.fijigen.plugin.window;

import ij.IJ;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The scenario's side of {@link XvfbImageJ}, in its JVM: runs the scenario, then writes the facts
 * it gathered to {@code scenario.properties} (a failure as {@code failure}) and ImageJ's Log to
 * {@code log.txt} in its folder, and ends the JVM, whose ImageJ windows would keep it alive.
 */
final class ScenarioRun {
    /** A scenario's body: what it saw goes into {@code facts}. */
    @FunctionalInterface
    interface Body {
        void run(Properties facts) throws Exception;
    }

    private ScenarioRun() {}

    static void runAndExit(String name, Path out, Body body) throws Exception {
        Properties facts = new Properties();
        try {
            body.run(facts);
        } catch (Throwable t) {
            facts.setProperty("failure", t.toString());
        }
        Files.writeString(out.resolve("log.txt"), String.valueOf(IJ.getLog()));
        try (OutputStream stream = new FileOutputStream(out.resolve("scenario.properties").toFile())) {
            facts.store(stream, name);
        }
        System.exit(0);
    }
}
