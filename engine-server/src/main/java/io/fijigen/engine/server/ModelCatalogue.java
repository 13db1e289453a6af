package io.fijigen.engine.server;

import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.model.WeightFiles;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.weights.SafetensorsFile;
import io.fijigen.proto.client.ModelFamilies;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a registry file offers: their entries, where their files are (a configured path, or a hub cache's
 * snapshot under the roots), a LoRA's file, each model's weight files and their hashes, and what each would take
 * loaded, estimated from its headers. It loads nothing: {@link ResidentModels} does.
 *
 * <p>Thread-safe: its entries change only through {@link #add} and {@link #remove} (model admin), each replacing the
 * whole list, so a reader sees the list before or after, never half of a change; what it reads from configs is kept
 * in concurrent maps and dropped with its entry. Files are looked up at each call, not once: a hub cache may be
 * filled while the server runs.
 */
public final class ModelCatalogue {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalogue.class);
    private final RegistryConfig config;
    private volatile List<ModelEntry> models;
    private volatile Map<String, ModelEntry> entries;
    /** Pipeline models' configs, read on first use. */
    private final Map<String, PipelineConfigs> configs = new ConcurrentHashMap<>();
    /** Models' families, read on first use. */
    private final Map<String, Optional<FamilyId>> families = new ConcurrentHashMap<>();
    private final WeightHashes hashes;

    /** Reads the weight hashes cached beside the registry file, if it has one. */
    public ModelCatalogue(RegistryConfig config) {
        this.config = config;
        replaceModels(config.models());
        this.hashes = config.file() == null ? WeightHashes.inMemory() : WeightHashes.besideRegistry(config.file());
    }

    /** The models in the config's order, added ones last. */
    public List<ModelEntry> entries() {
        return models;
    }

    /** Registers {@code entry} after the others; its id must be new. */
    synchronized void add(ModelEntry entry) {
        if (entries.containsKey(entry.id())) {
            throw new IllegalArgumentException("model '" + entry.id() + "' is registered already");
        }
        List<ModelEntry> more = new ArrayList<>(models);
        more.add(entry);
        forgetRead(entry.id());
        replaceModels(more);
    }

    /** Unregisters model {@code id}; its files stay. */
    synchronized void remove(String id) {
        find(id);
        replaceModels(models.stream().filter(entry -> !entry.id().equals(id)).toList());
        forgetRead(id);
    }

    /** The registry these models were read from: its file, roots and budgets (its model list as it was read). */
    RegistryConfig config() {
        return config;
    }

    private void replaceModels(List<ModelEntry> list) {
        Map<String, ModelEntry> byId = new LinkedHashMap<>();
        list.forEach(entry -> byId.put(entry.id(), entry));
        entries = Collections.unmodifiableMap(byId);
        models = List.copyOf(list);
    }

    /** What was read from a model's files: an id registered again may name other files. */
    private void forgetRead(String id) {
        configs.remove(id);
        families.remove(id);
    }

    public ModelEntry find(String id) {
        ModelEntry entry = entries.get(id);
        if (entry == null) {
            throw new UnknownModelException(id, List.copyOf(entries.keySet()));
        }
        return entry;
    }

    /**
     * The model, refused unless its kind is one {@code accepted} takes: "model 'x' is a sd15 model, not a LoRA".
     *
     * @param wanted what the caller needs, in the message
     */
    ModelEntry find(String id, Predicate<ModelKind> accepted, String wanted) {
        ModelEntry entry = find(id);
        if (!accepted.test(entry.kind())) {
            throw new InvalidRequestException("model", "model '" + id + "' is a " + entry.kind().configName()
                    + " model, not a " + wanted);
        }
        return entry;
    }

    public long memoryBudgetBytes() {
        return config.memoryBudgetBytes();
    }

    /** The most device memory one generation may need ({@code job_memory_budget_mib}). */
    public long jobMemoryBytes() {
        return config.jobMemoryBytes();
    }

    /**
     * Where the model's files are now: a configured path, or the hub cache's snapshot of the repo.
     *
     * @throws ModelNotFoundException a hub repo that is not in the cache under any root
     */
    public Path path(String id) throws IOException {
        ModelEntry entry = find(id);
        if (entry.location() instanceof ModelLocation.LocalPath local) {
            return local.path();
        }
        ModelLocation.HubRepo hub = (ModelLocation.HubRepo) entry.location();
        // Each root may be a hub cache; the first holding the repo at that revision, inside the roots, wins.
        for (Path root : config.roots().paths()) {
            Optional<Path> snapshot = new HubCache(root).snapshot(hub.repo(), hub.revision());
            Optional<Path> inside = snapshot.isPresent() ? config.roots().realPathInside(snapshot.get()) : Optional.empty();
            if (inside.isPresent()) {
                return inside.get();
            }
        }
        LOG.warn("model '{}': hub repo {} at revision {} is in no hub cache under the roots {} (expected {}/snapshots/…)",
                id, hub.repo(), hub.revision(), config.roots(), HubCache.folderName(hub.repo()));
        throw new ModelFilesException("model '" + id + "': hub repo " + hub.repo() + " at revision " + hub.revision()
                + " is not in the server's hub cache (the server does not download: its operator runs fijigen"
                + " download " + hub.repo() + "; the server's log names the folders looked in)");
    }

    /**
     * {@link #path}, with every file under it checked to resolve inside the roots: what to read a model's files from.
     *
     * @throws java.nio.file.AccessDeniedException a file that links out of the roots
     */
    Path checkedPath(String id) throws IOException {
        Path path = path(id);
        config.roots().checkTree(path);
        return path;
    }

    /**
     * A LORA model's safetensors file: its path, or the single {@code .safetensors} file of its folder (as a hub repo's
     * snapshot holds one), checked to lie inside the roots.
     */
    public Path loraFile(String id) throws IOException {
        return safetensorsFile(id, ModelKind.LORA, "LoRA");
    }

    /** A model of {@code kind} that is one safetensors file, merged into a pipeline; {@code what} it is, in errors. */
    /** An EMBEDDING model's safetensors file, found as {@link #loraFile} finds a LoRA's. */
    public Path embeddingFile(String id) throws IOException {
        return safetensorsFile(id, ModelKind.EMBEDDING, "textual inversion");
    }

    /**
     * The weight files loading the model reads ({@link WeightFiles}; a LoRA's or an embedding's one file), by their
     * path from the model's folder with '/' separators, a model that is one file by its file name: never a host
     * folder, so that clients may be shown them.
     */
    public Map<String, Path> weightFiles(String id) throws IOException {
        ModelEntry entry = find(id);
        Path path = checkedPath(id);
        List<Path> files;
        try {
            files = switch (entry.kind()) {
                case SD15, SD2, SDXL, INPAINT, UPSCALER -> WeightFiles.ofPipeline(path);
                case CONTROLNET -> WeightFiles.ofControlNet(path);
                case SAFETY -> WeightFiles.ofSafetyChecker(path);
                case LORA -> List.of(loraFile(id));
                case EMBEDDING -> List.of(embeddingFile(id));
            };
        } catch (IOException | RuntimeException e) {
            throw ModelFilesException.of(id, path, e);
        }
        Map<String, Path> named = new LinkedHashMap<>();
        for (Path file : files) {
            String name = Files.isDirectory(path) ? path.relativize(file).toString() : file.getFileName().toString();
            named.put(name.replace(File.separatorChar, '/'), file);
        }
        return named;
    }

    /**
     * The bytes the model's files take on disk: every file under its folder (links followed, as a hub snapshot is
     * made of them), or its one file.
     */
    public long diskBytes(String id) throws IOException {
        Path path = path(id);
        if (!Files.isDirectory(path)) {
            return Files.size(path);
        }
        try (Stream<Path> files = Files.walk(path, FileVisitOption.FOLLOW_LINKS)) {
            long total = 0;
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                total += Files.size(file);
            }
            return total;
        }
    }

    /** The SHA-256s of the models' weight files, cached beside the registry file. */
    WeightHashes hashes() {
        return hashes;
    }

    /**
     * The side a pipeline model draws when a request gives no size: diffusers' default from its UNet
     * and VAE configs.
     */
    public int nativeSize(String id) throws IOException {
        return configs(id).nativeSize();
    }

    /**
     * A pipeline model's configs (not its weights), read once: what a request is checked against
     * before its job is queued.
     */
    public PipelineConfigs configs(String id) throws IOException {
        PipelineConfigs known = configs.get(id);
        if (known != null) {
            return known;
        }
        ModelEntry entry = find(id, kind -> kind.loadsAs(ModelLoader.PIPELINE), "pipeline");
        Path path = checkedPath(id);
        PipelineConfigs read;
        try {
            read = PipelineConfigs.read(path, entry.predictionType());
        } catch (IOException | RuntimeException e) {
            throw ModelFilesException.of(id, path, e);
        }
        configs.put(id, read);
        return read;
    }

    /**
     * The model's family, read once: a pipeline's from its configs, a ControlNet's from its config,
     * a LoRA's from its layer names (empty when they tell none); empty for safety checkers and
     * embeddings. What a request's ControlNets and LoRAs are checked against before its job is queued.
     */
    public Optional<FamilyId> family(String id) throws IOException {
        Optional<FamilyId> known = families.get(id);
        if (known != null) {
            return known;
        }
        ModelEntry entry = find(id);
        Optional<FamilyId> read = switch (entry.kind()) {
            case CONTROLNET -> summary(id, checkedPath(id)).family();
            case LORA -> summary(id, loraFile(id)).family();
            case SAFETY, EMBEDDING -> Optional.empty();
            case SD15, SD2, SDXL, INPAINT, UPSCALER -> Optional.of(FamilyId.of(configs(id)));
        };
        families.put(id, read);
        return read;
    }

    /**
     * Why ControlNet or LoRA {@code addOnId} does not fit model {@code modelId}, naming both families
     * ({@link ModelFamilies#misfit}); empty when it fits or either family is unknown.
     *
     * @param what "ControlNet" or "LoRA"
     */
    Optional<String> misfit(String what, String addOnId, String modelId) throws IOException {
        return ModelFamilies.misfit(what, addOnId, family(addOnId).map(FamilyId::id).orElse(""), modelId,
                family(modelId).map(FamilyId::id).orElse(""));
    }

    private static ModelSummary summary(String id, Path path) throws IOException {
        try {
            return ModelSummary.of(path);
        } catch (IOException | RuntimeException e) {
            throw ModelFilesException.of(id, path, e);
        }
    }

    /**
     * The file, its header read (a damaged file is the server's fault, said at admission with the
     * model's id, before any job runs).
     */
    private Path safetensorsFile(String id, ModelKind kind, String what) throws IOException {
        find(id, kind::equals, what);
        Path path = checkedPath(id);
        Path file = Files.isDirectory(path) ? onlySafetensors(id, path, what) : path;
        try {
            SafetensorsFile.open(file).close();
            return file;
        } catch (IOException | RuntimeException e) {
            throw ModelFilesException.of(id, path, e);
        }
    }

    private static Path onlySafetensors(String id, Path folder, String what) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> safetensors = files.filter(file -> file.getFileName().toString().endsWith(".safetensors"))
                    .sorted().toList();
            if (safetensors.size() != 1) {
                throw new ModelFilesException("model '" + id + "': its folder holds " + safetensors.size()
                        + " .safetensors files " + safetensors.stream().map(file -> file.getFileName().toString())
                        .toList() + ", a " + what + " folder must hold one");
            }
            return safetensors.get(0);
        }
    }

    /** The memory the model takes once loaded: its parameters (from the safetensors headers) × bytes at its dtype. */
    public long estimatedBytes(String id) throws IOException {
        return estimatedBytes(find(id), path(id));
    }

    /** {@link #estimatedBytes(String)} of a model whose files the caller has looked up already. */
    static long estimatedBytes(ModelEntry entry, Path path) throws IOException {
        // A safety model may be a whole SD 1.x folder, of which only the checker is loaded.
        ModelSummary summary = entry.kind() == ModelKind.SAFETY ? ModelSummary.ofSafetyChecker(path) : ModelSummary.of(path);
        return summary.parameters() * entry.dtype().bytesPerElement();
    }
}
