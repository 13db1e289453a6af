package io.fijigen.engine.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An engine server on loopback for a whole test class, as a static {@code @RegisterExtension}
 * field: the demo registry, or a registry given as YAML text.
 */
public final class LoopbackEngineExtension implements BeforeAllCallback, AfterAllCallback {
    private final String registryYaml;
    private LoopbackEngine engine;
    private Path registryDir;

    private LoopbackEngineExtension(String registryYaml) {
        this.registryYaml = registryYaml;
    }

    /** The demo registry, {@code models-config/demo.yaml}. */
    public static LoopbackEngineExtension demo() {
        return new LoopbackEngineExtension(null);
    }

    /** A registry of its own, written to a temporary file. */
    public static LoopbackEngineExtension withRegistry(String yaml) {
        return new LoopbackEngineExtension(yaml);
    }

    /** Where a client connects: HOST:PORT. */
    public String address() {
        return engine.address();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (registryYaml == null) {
            engine = new LoopbackEngine(2);
            return;
        }
        registryDir = Files.createTempDirectory("fijigen-registry");
        Path file = Files.writeString(registryDir.resolve("registry.yaml"), registryYaml);
        engine = new LoopbackEngine(file, 2);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        engine.close();
        if (registryDir != null) {
            // The registry and what the engine keeps beside it (its weight hashes, registry.yaml.sha256).
            try (Stream<Path> files = Files.walk(registryDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
