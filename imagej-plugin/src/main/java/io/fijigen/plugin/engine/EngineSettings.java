package io.fijigen.plugin.engine;

import ij.Prefs;
import io.fijigen.plugin.client.Settings;
import java.nio.file.Path;

/**
 * Which engine the plugin uses, in ImageJ's preferences beside the {@link Settings connection}:
 * the engine it starts on this computer ("managed", the choice when no server was ever set), or
 * the remote server(s) of the connection settings; and how the managed one runs.
 *
 * @param managed whether the plugin starts and uses its own engine
 * @param engineJar the engine jar; blank: {@code lib/fijigen/fijigen-engine.jar} of the ImageJ folder,
 *     where the update site puts it
 * @param memoryMib the managed engine's Java heap, in MiB
 * @param device where the managed engine runs its models
 * @param libtorch a folder with a libtorch of one's own (a CUDA build downloaded by hand); blank: none
 */
public record EngineSettings(boolean managed, String engineJar, int memoryMib, EngineDevice device,
        String libtorch) {
    static final String MODE = "fijigen.engine";
    static final String JAR = "fijigen.engine.jar";
    static final String MEMORY = "fijigen.engine.memory";
    static final String DEVICE = "fijigen.engine.device";
    static final String LIBTORCH = "fijigen.engine.libtorch";
    /** Enough for Stable Diffusion 1.5 in float32 on the CPU. */
    public static final int DEFAULT_MEMORY_MIB = 8192;
    /** Where the update site puts the engine, in the ImageJ folder. */
    public static final String UPDATE_SITE_JAR = "lib/fijigen/fijigen-engine.jar";

    public EngineSettings {
        engineJar = engineJar == null ? "" : engineJar.strip();
        libtorch = libtorch == null ? "" : libtorch.strip();
    }

    public static EngineSettings load() {
        String mode = Prefs.get(MODE, Settings.serverSaved() ? "remote" : "managed");
        return new EngineSettings(mode.equals("managed"), Prefs.get(JAR, ""),
                (int) Prefs.get(MEMORY, DEFAULT_MEMORY_MIB), EngineDevice.of(Prefs.get(DEVICE, "cpu")),
                Prefs.get(LIBTORCH, ""));
    }

    public void save() {
        Prefs.set(MODE, managed ? "managed" : "remote");
        Prefs.set(JAR, engineJar);
        Prefs.set(MEMORY, memoryMib);
        Prefs.set(DEVICE, device.configName());
        Prefs.set(LIBTORCH, libtorch);
    }

    /** The launch these settings make, the ImageJ folder {@code imagej} and the plugin's {@code registry}. */
    public EngineLaunch launch(Path imagej, Path registry) {
        Path jar = engineJar.isEmpty() ? imagej.resolve(UPDATE_SITE_JAR) : Path.of(engineJar);
        return EngineLaunch.of(jar, registry, memoryMib, device, libtorch.isEmpty() ? null : Path.of(libtorch));
    }
}
