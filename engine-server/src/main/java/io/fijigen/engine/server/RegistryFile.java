package io.fijigen.engine.server;

import io.fijigen.engine.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A registry file rewritten with one model more or less: the YAML tree as read, its {@code models} list changed, written
 * to a temporary file beside it, read back by {@link RegistryConfig#read} (every check a start makes), then moved over
 * it in one step, so a crash or a refused entry leaves the old file whole and a reader never sees half a file.
 * Comments are not kept: the tree holds none.
 */
final class RegistryFile {
    private final Path file;

    RegistryFile(Path file) {
        this.file = file;
    }

    /**
     * Appends {@code entry} (the keys of a {@code models} item: id, kind, path or hub, ...) to the list.
     *
     * @return the entry as the registry reads it back
     * @throws ConfigException the entry is refused, as a start would refuse it; the file is unchanged
     */
    ModelEntry withModel(Map<String, Object> entry) throws IOException {
        Map<String, Object> tree = tree();
        models(tree).add(entry);
        List<ModelEntry> read = rewrite(tree).models();
        return read.get(read.size() - 1);
    }

    /** Takes model {@code id} out of the list. */
    void withoutModel(String id) throws IOException {
        Map<String, Object> tree = tree();
        models(tree).removeIf(item -> item instanceof Map<?, ?> map && id.equals(map.get("id")));
        rewrite(tree);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tree() throws IOException {
        // Read as a start reads it: the file may have been edited since.
        RegistryConfig.read(file);
        return new LinkedHashMap<>((Map<String, Object>) RegistryConfig.yaml().load(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> models(Map<String, Object> tree) {
        List<Object> models = new ArrayList<>((List<Object>) tree.get("models"));
        tree.put("models", models);
        return models;
    }

    private RegistryConfig rewrite(Map<String, Object> tree) throws IOException {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        // Beside the file: its relative roots resolve the same, and the move stays on one file system.
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, new Yaml(options).dump(tree));
            RegistryConfig read;
            try {
                read = RegistryConfig.read(temporary);
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage().replace(temporary.toString(), file.toString()), e);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return read;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
