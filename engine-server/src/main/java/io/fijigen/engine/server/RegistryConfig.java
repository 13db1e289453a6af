package io.fijigen.engine.server;

import io.fijigen.engine.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A model registry file ({@code models-config/*.yaml}), read and validated in full before the server
 * starts: the roots models may be read from, the memory budget for loaded models, and the models.
 * Relative roots are relative to the file's folder (default: that folder), so a config travels with
 * the models it lists.
 *
 * @param file the YAML file, as given
 * @param memoryBudgetBytes how much memory loaded models may take together, estimated from their headers
 * @param jobMemoryBytes how much device memory one generation may need at its peak ({@link
 *     io.fijigen.engine.pipeline.JobMemory}); larger ones are refused before they run. Unset: no limit
 */
public record RegistryConfig(Path file, ModelRoots roots, long memoryBudgetBytes, long jobMemoryBytes,
        List<ModelEntry> models) {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryConfig.class);

    public static final int DEFAULT_MEMORY_BUDGET_MIB = 8192;
    private static final long MIB = 1L << 20;
    private static final Set<String> KEYS = Set.of("roots", "memory_budget_mib", "job_memory_budget_mib", "models");
    /** A registry lists tens of models; a megabyte of YAML is a mistake, or an attack on the parser. */
    private static final int MAX_FILE_BYTES = 1 << 20;

    public RegistryConfig {
        models = List.copyOf(models);
    }

    public static RegistryConfig read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a model registry");
        }
        Object tree;
        try {
            tree = yaml().load(Files.readString(file));
        } catch (YAMLException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (tree == null) {
            throw new ConfigException(file + ": is empty; expected roots, memory_budget_mib and models");
        }
        YamlSection top = YamlSection.of(tree, file.toString());
        top.allowOnly(KEYS);
        ModelRoots roots = roots(top, file.toAbsolutePath().getParent());
        long budget = top.integer("memory_budget_mib", 1, Integer.MAX_VALUE).orElse(DEFAULT_MEMORY_BUDGET_MIB) * MIB;
        OptionalInt jobBudgetMib = top.integer("job_memory_budget_mib", 1, Integer.MAX_VALUE);
        long jobBudget = jobBudgetMib.isPresent() ? jobBudgetMib.getAsInt() * MIB : Long.MAX_VALUE;
        List<?> items = top.list("models")
                .orElseThrow(() -> top.error("models", "is missing: list the models to serve"));
        List<ModelEntry> models = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ModelEntry entry = ModelEntryReader.read(items.get(i), file + ": models[" + i + "]", roots);
            if (!ids.add(entry.id())) {
                throw new ConfigException(file + ": models[" + i + "] (id '" + entry.id() + "'): field 'id':"
                        + " duplicate id '" + entry.id() + "' (ids must be unique)");
            }
            models.add(entry);
        }
        return new RegistryConfig(file, roots, budget, jobBudget, models);
    }

    /** The same registry with another budget: a server flag or a test overriding the file's. */
    public RegistryConfig withMemoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget " + bytes + " must be positive");
        }
        return new RegistryConfig(file, roots, bytes, jobMemoryBytes, models);
    }

    /**
     * The same registry with every model on {@code device}, whatever its entry says: {@code serve
     * --device}, for a registry the Fiji plugin writes once and runs on this computer's CPU or GPU. On
     * the CPU an fp16 entry loads as fp32 (the CPU computes in float32 only, and widening fp16 weights
     * loses nothing), so that switching a managed engine from the GPU to the CPU in Fiji's settings does
     * not stop it from starting over the models it added as fp16.
     */
    public RegistryConfig onDevice(ModelDevice device) {
        List<ModelEntry> moved = new ArrayList<>();
        for (ModelEntry entry : models) {
            ModelDtype dtype = entry.dtype();
            if (device == ModelDevice.CPU && dtype == ModelDtype.FP16) {
                LOG.info("model '{}' is fp16 in {}: on the cpu it loads as fp32", entry.id(), file);
                dtype = ModelDtype.FP32;
            }
            moved.add(new ModelEntry(entry.id(), entry.kind(), entry.location(), dtype, device,
                    entry.defaults(), entry.predictionType()));
        }
        return new RegistryConfig(file, roots, memoryBudgetBytes, jobMemoryBytes, moved);
    }

    /**
     * The same registry with {@code folder} among its roots (last, unless it is one already): {@code serve
     * --allow-model-admin} adds its hub cache, where the models it downloads land and are looked up.
     */
    public RegistryConfig withRoot(Path folder) throws IOException {
        Path real = folder.toRealPath();
        if (roots.paths().contains(real)) {
            return this;
        }
        List<Path> more = new ArrayList<>(roots.paths());
        more.add(real);
        return new RegistryConfig(file, ModelRoots.of(more), memoryBudgetBytes, jobMemoryBytes, models);
    }

    /**
     * YAML as plain maps, lists and scalars only (no tags that construct Java objects), with duplicate
     * keys refused (the second would silently win) and aliases limited (no "billion laughs").
     */
    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_FILE_BYTES);
        return new Yaml(new SafeConstructor(options));
    }

    private static ModelRoots roots(YamlSection top, Path base) throws IOException {
        List<?> given = top.list("roots").orElse(List.of("."));
        if (given.isEmpty()) {
            throw top.error("roots", "is empty: name at least one folder (or leave roots out for the file's folder)");
        }
        List<Path> roots = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            if (!(given.get(i) instanceof String text)) {
                throw top.error("roots", "entry " + i + " must be a folder name, got '" + given.get(i) + "'");
            }
            Path dir;
            try {
                dir = base.resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw top.error("roots", "entry " + i + " '" + text + "' is not a valid path: " + e.getReason());
            }
            if (!Files.isDirectory(dir)) {
                throw top.error("roots", "entry " + i + " '" + text + "' is not a folder (looked for " + dir + ")");
            }
            roots.add(dir.toRealPath());
        }
        return ModelRoots.of(roots);
    }
}
