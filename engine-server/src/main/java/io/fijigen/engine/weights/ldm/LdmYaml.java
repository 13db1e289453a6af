package io.fijigen.engine.weights.ldm;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The sidecar {@code .yaml} of a single-file checkpoint: the original LDM config
 * ({@code model.params.unet_config.params}, {@code first_stage_config.params.ddconfig},
 * {@code parameterization}, ...) or SGM config (SDXL: {@code model.params.network_config.params},
 * {@code conditioner_config.params.emb_models}), as web UIs and the reference read it next to the
 * file. Read as plain maps and lists (no tags that construct objects).
 */
public final class LdmYaml {
    private static final int MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final Object root;

    private LdmYaml(Path file, Object root) {
        this.file = file;
        this.root = root;
    }

    /** The sidecar of {@code checkpoint} ({@code name.yaml} beside {@code name.safetensors}), if there is one. */
    public static Optional<LdmYaml> besides(Path checkpoint) throws IOException {
        String name = checkpoint.getFileName().toString();
        Path sidecar = checkpoint.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".yaml");
        return Files.isRegularFile(sidecar) ? Optional.of(read(sidecar)) : Optional.empty();
    }

    public static LdmYaml read(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_FILE_BYTES);
        try (Reader reader = Files.newBufferedReader(file)) {
            return new LdmYaml(file, new Yaml(new SafeConstructor(options)).load(reader));
        } catch (YAMLException e) {
            throw new LdmFormatException(file + ": not valid YAML (" + e.getMessage() + ")");
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The value at a dotted path ({@code model.params.unet_config.params.num_heads}), if present and
     * not null; a number part indexes a list ({@code conditioner_config.params.emb_models.1.params}).
     */
    public Optional<Object> at(String path) {
        Object node = root;
        for (String part : path.split("\\.")) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(part);
            } else if (node instanceof List<?> list && part.matches("\\d{1,9}")) {
                int index = Integer.parseInt(part);
                node = index < list.size() ? list.get(index) : null;
            } else {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(node);
    }

    /** The length of the list at {@code path}; 0 when there is none. */
    public int size(String path) {
        return at(path).map(value -> value instanceof List<?> list ? list.size() : 0).orElse(0);
    }

    public Optional<Integer> integer(String path) {
        return at(path).map(value -> {
            if (value instanceof Integer number) {
                return number;
            }
            throw invalid(path, value, "an integer");
        });
    }

    public Optional<Double> number(String path) {
        return at(path).map(value -> {
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            throw invalid(path, value, "a number");
        });
    }

    public Optional<String> string(String path) {
        return at(path).map(String::valueOf);
    }

    /** An integer or a list of integers (per level). */
    public Optional<List<Integer>> integers(String path) {
        return at(path).map(value -> {
            if (value instanceof Integer number) {
                return List.of(number);
            }
            if (value instanceof List<?> list && list.stream().allMatch(Integer.class::isInstance)) {
                return list.stream().map(Integer.class::cast).toList();
            }
            throw invalid(path, value, "an integer or a list of integers");
        });
    }

    private LdmFormatException invalid(String path, Object value, String expected) {
        return new LdmFormatException(file + ": " + path + " is " + value + ", expected " + expected);
    }
}
