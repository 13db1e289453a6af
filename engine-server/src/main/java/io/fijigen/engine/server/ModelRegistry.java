package io.fijigen.engine.server;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.SafetyChecker;
import io.fijigen.engine.model.StableDiffusion;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a server offers, loaded on first use and kept resident within a memory budget, the
 * least recently used unloaded first when a new one would not fit.
 *
 * <p>Thread-safe. Loads run one at a time (under {@code loadLock}), so two workers asking for the same
 * model load it once and the budget is never overcommitted by loads in flight; a model already resident
 * is handed out without waiting for a load.
 *
 * <p>Jobs take their models through a {@link Lease}: a leased model is never evicted, so a job on
 * one device cannot lose its model to a load for a job on another. When every resident model is
 * leased, a load goes over the budget rather than fail a job (and says so in the log).
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private final RegistryConfig config;
    private final Map<String, ModelEntry> entries = new LinkedHashMap<>();
    private final ReentrantLock loadLock = new ReentrantLock();
    /** Guards {@code resident}, {@code residentBytes} and {@code closed}; never held while loading. */
    private final Object state = new Object();
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Resident> resident = new LinkedHashMap<>(16, 0.75f, true);
    private long residentBytes;
    private boolean closed;
    /** Pipeline models' own sizes, read from their configs on first use. */
    private final Map<String, Integer> nativeSizes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Leases held per model id; a model with any is not evicted. */
    private final Map<String, Integer> leases = new HashMap<>();

    /** A loaded model, what it is estimated to take, and what to close to free it. */
    private record Resident(Object model, long bytes, AutoCloseable resources) {}

    public ModelRegistry(RegistryConfig config) {
        this.config = config;
        config.models().forEach(entry -> entries.put(entry.id(), entry));
    }

    /** The models in the config's order. */
    public List<ModelEntry> entries() {
        return List.copyOf(entries.values());
    }

    public ModelEntry find(String id) {
        ModelEntry entry = entries.get(id);
        if (entry == null) {
            throw new UnknownModelException(id, List.copyOf(entries.keySet()));
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
        throw new ModelNotFoundException("model '" + id + "': hub repo " + hub.repo()
                + " at revision " + hub.revision() + " is not in a hub cache under the roots "
                + config.roots() + " (expected " + HubCache.folderName(hub.repo())
                + "/snapshots/...; the server does not download: run fijigen download " + hub.repo()
                + " with HF_HUB_CACHE set to one of the roots)");
    }

    /**
     * A LORA model's safetensors file: its path, or the single {@code .safetensors} file of its
     * folder (as a hub repo's snapshot holds one), checked to lie inside the roots.
     */
    public Path loraFile(String id) throws IOException {
        return weightsFile(id, ModelKind.LORA, "a LoRA");
    }

    /** An EMBEDDING model's safetensors file, found as {@link #loraFile} finds a LoRA's. */
    public Path embeddingFile(String id) throws IOException {
        return weightsFile(id, ModelKind.EMBEDDING, "an embedding");
    }

    private Path weightsFile(String id, ModelKind kind, String what) throws IOException {
        ModelEntry entry = find(id);
        if (entry.kind() != kind) {
            throw new InvalidRequestException("model", "model '" + id + "' is a " + entry.kind().configName()
                    + " model, not " + what);
        }
        Path path = path(id);
        config.roots().checkTree(path);
        if (!Files.isDirectory(path)) {
            return path;
        }
        try (Stream<Path> files = Files.list(path)) {
            List<Path> safetensors = files.filter(file -> file.getFileName().toString().endsWith(".safetensors"))
                    .sorted().toList();
            if (safetensors.size() != 1) {
                throw new ModelNotFoundException("model '" + id + "': its folder " + path + " holds "
                        + safetensors.size() + " .safetensors files, " + what + " folder must hold one " + safetensors);
            }
            return safetensors.get(0);
        }
    }

    /**
     * The side a pipeline model draws when a request gives no size: diffusers' default from its UNet
     * and VAE configs, read once (not its weights).
     */
    public int nativeSize(String id) throws IOException {
        Integer known = nativeSizes.get(id);
        if (known != null) {
            return known;
        }
        int size = PipelineConfigs.read(path(id), find(id).predictionType()).nativeSize();
        nativeSizes.put(id, size);
        return size;
    }

    /** The memory the model takes once loaded: its parameters (from the safetensors headers) × bytes at its dtype. */
    public long estimatedBytes(String id) throws IOException {
        return estimate(find(id), path(id));
    }

    private static long estimate(ModelEntry entry, Path path) throws IOException {
        // A safety model may be a whole SD 1.x folder, of which only the checker is loaded.
        ModelSummary summary = entry.kind() == ModelKind.SAFETY ? ModelSummary.ofSafetyChecker(path) : ModelSummary.of(path);
        return summary.parameters() * entry.dtype().bytesPerElement();
    }

    /** A Stable Diffusion pipeline model (sd15, sd2, inpaint, upscaler), loaded on first use. */
    public StableDiffusion pipeline(String id) throws IOException {
        return (StableDiffusion) acquire(id, ModelKind.Loads.PIPELINE, false);
    }

    /** A ControlNet, loaded on first use into a manager of its own on the model's device. */
    public ControlNetModel controlNet(String id) throws IOException {
        return (ControlNetModel) acquire(id, ModelKind.Loads.CONTROLNET, false);
    }

    /** The models of one job, loaded and kept from eviction until {@link #close}. */
    public final class Lease implements AutoCloseable {
        private final Map<String, Object> models = new HashMap<>();
        private boolean released;

        public StableDiffusion pipeline(String id) {
            return (StableDiffusion) leased(id);
        }

        public ControlNetModel controlNet(String id) {
            return (ControlNetModel) leased(id);
        }

        public SafetyChecker safetyChecker(String id) {
            return (SafetyChecker) leased(id);
        }

        private Object leased(String id) {
            Object model = models.get(id);
            if (model == null) {
                throw new IllegalArgumentException("model '" + id + "' is not part of this lease");
            }
            return model;
        }

        @Override
        public void close() {
            synchronized (state) {
                if (released) {
                    return;
                }
                released = true;
                for (String id : models.keySet()) {
                    leases.merge(id, -1, (held, change) -> held + change == 0 ? null : held + change);
                }
            }
        }
    }

    /**
     * Loads (if needed) and leases the given models: pipelines, ControlNets and safety checkers by id, each checked
     * to be of a loadable kind. On failure, what was leased so far is released.
     */
    public Lease lease(Collection<String> ids) throws IOException {
        Lease lease = new Lease();
        try {
            for (String id : new LinkedHashSet<>(ids)) {
                ModelKind.Loads loads = find(id).kind().loads();
                if (loads == ModelKind.Loads.NOTHING) {
                    throw new InvalidRequestException("model", "model '" + id + "' cannot be loaded on its own");
                }
                lease.models.put(id, acquire(id, loads, true));
            }
            return lease;
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    public boolean isLoaded(String id) {
        synchronized (state) {
            return resident.containsKey(id);
        }
    }

    /** What the resident models are estimated to take together. */
    public long residentBytes() {
        synchronized (state) {
            return residentBytes;
        }
    }

    /** The model, loaded if need be; with {@code lease}, its lease count is raised as it is handed out. */
    private Object acquire(String id, ModelKind.Loads wanted, boolean lease) throws IOException {
        ModelEntry entry = find(id);
        if (entry.kind().loads() != wanted) {
            throw new InvalidRequestException("model", "model '" + id + "' is a " + entry.kind().configName()
                    + " model, not a " + wanted.description());
        }
        Resident ready = residentOrNull(id, lease);
        if (ready != null) {
            return ready.model();
        }
        try {
            loadLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to load model '" + id + "'");
        }
        try {
            // Another worker may have loaded it while this one waited for the lock.
            ready = residentOrNull(id, lease);
            if (ready != null) {
                return ready.model();
            }
            Path path = path(id);
            config.roots().checkTree(path);
            long bytes = estimate(entry, path);
            if (bytes > config.memoryBudgetBytes()) {
                throw new ModelTooLargeException(id, bytes, config.memoryBudgetBytes());
            }
            // Before evicting anything: a GPU model on a machine without one fails here, unloading nothing.
            Device device = entry.device().device();
            closeAll(evictFor(bytes));
            Resident loaded = load(entry, path, device, bytes);
            synchronized (state) {
                resident.put(id, loaded);
                residentBytes += bytes;
                if (lease) {
                    leases.merge(id, 1, Integer::sum);
                }
            }
            return loaded.model();
        } finally {
            loadLock.unlock();
        }
    }

    private Resident residentOrNull(String id, boolean lease) {
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("the model registry is closed");
            }
            Resident found = resident.get(id);
            if (found != null && lease) {
                leases.merge(id, 1, Integer::sum);
            }
            return found;
        }
    }

    /** Takes least recently used models out until {@code bytes} more fit in the budget; the caller closes them. */
    private List<Resident> evictFor(long bytes) {
        List<Resident> evicted = new ArrayList<>();
        synchronized (state) {
            Iterator<Map.Entry<String, Resident>> eldestFirst = resident.entrySet().iterator();
            while (residentBytes + bytes > config.memoryBudgetBytes() && eldestFirst.hasNext()) {
                Map.Entry<String, Resident> victim = eldestFirst.next();
                if (leases.containsKey(victim.getKey())) {
                    continue;
                }
                eldestFirst.remove();
                residentBytes -= victim.getValue().bytes();
                evicted.add(victim.getValue());
            }
            if (residentBytes + bytes > config.memoryBudgetBytes()) {
                LOG.warn("loading {} MiB goes over the {} MiB budget: the resident models are in use",
                        bytes >> 20, config.memoryBudgetBytes() >> 20);
            }
        }
        return evicted;
    }

    private static Resident load(ModelEntry entry, Path path, Device device, long bytes) throws IOException {
        if (entry.kind().loads() == ModelKind.Loads.PIPELINE) {
            StableDiffusion pipeline = StableDiffusion.load(path, device, entry.dtype().dataType(),
                    entry.predictionType());
            return new Resident(pipeline, bytes, pipeline);
        }
        if (entry.kind().loads() == ModelKind.Loads.SAFETY_CHECKER) {
            SafetyChecker checker = SafetyChecker.load(path, device, entry.dtype().dataType());
            return new Resident(checker, bytes, checker);
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new Resident(ModelFolder.loadControlNet(path, manager, entry.dtype().dataType()), bytes, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Unloads every model; later calls fail. Waits for a load in flight, so nothing loads after this returns. */
    @Override
    public void close() {
        loadLock.lock();
        try {
            List<Resident> all;
            synchronized (state) {
                closed = true;
                all = new ArrayList<>(resident.values());
                resident.clear();
                residentBytes = 0;
            }
            closeAll(all);
        } finally {
            loadLock.unlock();
        }
    }

    private static void closeAll(List<Resident> models) {
        RuntimeException failure = null;
        for (Resident model : models) {
            try {
                model.resources().close();
            } catch (Exception e) {
                // Close the rest anyway: one failed close must not leak every other model's native memory.
                if (failure == null) {
                    failure = new IllegalStateException("could not unload a model", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
