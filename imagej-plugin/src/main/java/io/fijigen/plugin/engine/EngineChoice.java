package io.fijigen.plugin.engine;

import ij.IJ;
import ij.Prefs;
import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The engine every command connects to, as the settings choose: this Fiji's {@link ManagedEngine}
 * (one per Fiji, kept while its settings stay the same), or the saved remote server(s).
 */
public final class EngineChoice {
    private static ManagedEngine managed;

    private EngineChoice() {}

    /**
     * The connection for a command: the managed engine's, started or restarted as needed, or the
     * saved server's.
     *
     * @throws IllegalStateException when the managed engine does not start, saying why
     * @throws IllegalArgumentException when its settings are wrong (no engine jar, say)
     */
    public static Connection connection() {
        return connection(EngineSettings.load());
    }

    /** {@link #connection()} as {@code settings} say (Server Settings' Test Connection, before they are saved). */
    public static synchronized Connection connection(EngineSettings settings) {
        Connection saved = Settings.load();
        if (!settings.managed()) {
            stopManaged();
            return saved;
        }
        EngineLaunch launch = settings.launch(imagejFolder(), registry());
        if (managed != null && !managed.launch().equals(launch)) {
            stopManaged();
        }
        if (managed == null) {
            managed = new ManagedEngine(launch, folder().resolve("run"), IJ::log);
        }
        if (managed.pid().isEmpty()) {
            IJ.showStatus("fijigen: starting the engine on this computer…");
        }
        return managed.connection().withTimeout(saved.timeoutSeconds());
    }

    /** This Fiji's managed engine, once a command has started it. */
    public static synchronized Optional<ManagedEngine> managed() {
        return Optional.ofNullable(managed);
    }

    private static void stopManaged() {
        if (managed != null) {
            managed.close();
            managed = null;
        }
    }

    /** The plugin's own folder: {@code fijigen/} in ImageJ's preferences folder. */
    public static Path folder() {
        return Path.of(Prefs.getPrefsDir(), "fijigen");
    }

    /** The managed engine's model registry, {@code models.yaml} in the plugin's folder; created empty. */
    public static Path registry() {
        Path registry = folder().resolve("models.yaml");
        if (!Files.exists(registry)) {
            try {
                Files.createDirectories(registry.getParent());
                // The home folder is a root so that Models... can add a model from any folder of the user's;
                // the engine adds its hub cache itself (serve --allow-model-admin).
                Files.writeString(registry, """
                        # The models of the engine the fijigen plugin starts on this computer (Plugins › fijigen ›
                        # Server Settings..., Engine: managed). Relative paths are looked up in this folder.
                        roots: ['.', '%s']
                        models: []
                        """.formatted(System.getProperty("user.home").replace("'", "''")));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the model registry " + registry + ": "
                        + e.getMessage(), e);
            }
        }
        return registry;
    }

    /** Fiji's folder: the launcher sets {@code ij.dir}; plain ImageJ knows where it was started from. */
    static Path imagejFolder() {
        String dir = System.getProperty("ij.dir");
        if (dir == null) {
            dir = IJ.getDirectory("imagej");
        }
        if (dir == null) {
            throw new IllegalStateException("ImageJ's folder is unknown, so the engine jar cannot be found there:"
                    + " set 'Jar of the managed engine' in Plugins › fijigen › Server Settings...");
        }
        return Path.of(dir);
    }
}
