package io.fijigen.engine.runtime;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.util.Utils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * libtorch, loaded on first use with errors a user can act on. Left to itself, DJL falls back to
 * its bundled CPU libtorch, without a word, when {@code PYTORCH_LIBRARY_PATH} names no libtorch, and
 * reports a libtorch or JNI library that will not load (a JNI built for another libtorch version,
 * say) as a stack trace.
 */
public final class TorchRuntime {
    /** DJL's setting (an environment variable, else a system property) for a libtorch of one's own. */
    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    private static final String LIBTORCH = System.mapLibraryName("torch");

    private static Engine engine;

    private TorchRuntime() {}

    /** The engine, libtorch loaded, its CPU threads set and NNPACK off; the first call checks the settings. */
    public static synchronized Engine engine() {
        if (engine == null) {
            String libraryPath = Utils.getEnvOrSystemProperty(LIBRARY_PATH);
            checkLibraryPath(libraryPath);
            try {
                engine = Engine.getInstance();
            } catch (EngineException e) {
                throw new TorchUnavailableException(loadFailure(e, libraryPath), e);
            }
            CpuThreads.configure();
            NnpackSwitch.turnOff();
        }
        return engine;
    }

    /** {@code libraryPath}, DJL's list of folders or libtorch files, must name at least one libtorch. */
    static void checkLibraryPath(String libraryPath) {
        if (libraryPath == null || libraryPath.isBlank()) {
            return;
        }
        for (String entry : libraryPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean named = path.getFileName() != null && path.getFileName().toString().equals(LIBTORCH);
            if (named ? Files.isRegularFile(path) : Files.isRegularFile(path.resolve(LIBTORCH))) {
                return;
            }
        }
        throw new TorchUnavailableException(LIBRARY_PATH + "=" + libraryPath + " names no libtorch: there is no "
                + LIBTORCH + " there (unset it to use the bundled CPU libtorch)");
    }

    private static String loadFailure(EngineException e, String libraryPath) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = "libtorch could not be loaded: " + cause.getMessage();
        if (libraryPath == null || libraryPath.isBlank()) {
            return message;
        }
        return message + " (" + LIBRARY_PATH + "=" + libraryPath + ": that folder needs DJL's JNI library,"
                + " libdjl_torch.so, built against its libtorch)";
    }

    /** libtorch cannot be used as configured; the message says why and what to change. */
    public static final class TorchUnavailableException extends IllegalStateException {
        TorchUnavailableException(String message) {
            super(message);
        }

        TorchUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
