package io.fijigen.plugin.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the plugin starts its engine on this computer: {@code java -jar fijigen-engine.jar serve} on a
 * free loopback port, with the plugin's registry, a token, a memory limit and a device. The one place
 * that builds the engine's command line.
 *
 * @param java the {@code java} executable, e.g. Fiji's own
 * @param engineJar {@code fijigen-engine.jar}
 * @param registry the model registry the plugin owns
 * @param memoryMib the engine's Java heap ({@code -Xmx}), in MiB
 * @param device where the models run
 * @param libtorch a folder holding a libtorch of one's own (e.g. a CUDA build); null: the engine's
 *     bundled CPU libtorch, or for the GPU the CUDA build DJL downloads on first use
 * @param environment variables added to the engine's environment beyond those the device needs
 */
public record EngineLaunch(Path java, Path engineJar, Path registry, int memoryMib, EngineDevice device,
        Path libtorch, Map<String, String> environment) {

    /** Memory below this cannot hold even the engine with the tiny models. */
    public static final int MIN_MEMORY_MIB = 256;

    public EngineLaunch {
        if (!Files.isRegularFile(engineJar)) {
            throw new IllegalArgumentException("the engine jar " + engineJar + " does not exist: install the fijigen"
                    + " update site (it puts it in lib/fijigen/ of Fiji), or set its path in Server Settings");
        }
        if (memoryMib < MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("engine memory " + memoryMib + " MiB is below " + MIN_MEMORY_MIB
                    + " MiB (try 8192 for Stable Diffusion 1.5 on the CPU)");
        }
        environment = Map.copyOf(environment);
    }

    /** With the Java that runs this plugin and nothing added to the environment. */
    public static EngineLaunch of(Path engineJar, Path registry, int memoryMib, EngineDevice device, Path libtorch) {
        return new EngineLaunch(Path.of(System.getProperty("java.home"), "bin", "java"), engineJar, registry,
                memoryMib, device, libtorch, Map.of());
    }

    /** The same launch with {@code name=value} in the engine's environment. */
    public EngineLaunch withEnvironment(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(environment);
        more.put(name, value);
        return new EngineLaunch(java, engineJar, registry, memoryMib, device, libtorch, more);
    }

    /** The engine's command line, its token in {@code tokenFile}. */
    List<String> command(Path tokenFile) {
        return List.of(java.toString(), "-Xmx" + memoryMib + "m",
                // DJL's lines about fetching a CUDA libtorch, which the plugin shows in the Log.
                "-Dfijigen.djl.log=INFO",
                "-jar", engineJar.toString(), "serve",
                "--config", registry.toString(),
                "--host", "127.0.0.1", "--port", "0",
                "--token-file", tokenFile.toString(),
                "--device", device.configName(),
                "--exit-on-stdin-close",
                // Models... adds and removes models; the engine listens on loopback, behind the token.
                "--allow-model-admin");
    }

    /** What the engine's environment gets: where libtorch comes from, then {@link #environment}. */
    Map<String, String> engineEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        if (libtorch != null) {
            variables.put("PYTORCH_LIBRARY_PATH", libtorch.toString());
        } else if (device == EngineDevice.GPU) {
            variables.putAll(CudaLibtorch.djlDownload());
        }
        variables.putAll(environment);
        return variables;
    }
}
