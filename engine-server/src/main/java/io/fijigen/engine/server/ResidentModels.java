package io.fijigen.engine.server;

import ai.djl.Device;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.SafetyChecker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue's models that are loaded, each on first use, kept within the memory budget: the least recently used
 * are unloaded first when a new one would not fit.
 *
 * <p>Thread-safe. Loads run one at a time (under {@code loadLock}), so two workers asking for the same
 * model load it once and the budget is never overcommitted by loads in flight; a model already resident
 * is handed out without waiting for a load.
 *
 * <p>Jobs take their models through a {@link Lease}: a leased model is never evicted, so a job on
 * one device cannot lose its model to a load for a job on another. When every resident model is
 * leased, a load goes over the budget rather than fail a job (and says so in the log).
 */
public final class ResidentModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResidentModels.class);
    private final ModelCatalogue catalogue;
    private final ReentrantLock loadLock = new ReentrantLock();
    /** Guards {@code resident}, {@code residentBytes}, {@code leases} and {@code closed}; never held while loading. */
    private final Object state = new Object();
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Resident> resident = new LinkedHashMap<>(16, 0.75f, true);
    private long residentBytes;
    private boolean closed;
    /** Leases held per model id; a model with any is not evicted. */
    private final Map<String, Integer> leases = new HashMap<>();

    /** A loaded model and what it is estimated to take. */
    private record Resident(LoadedModel<?> loaded, long bytes) {}

    public ResidentModels(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The models these are loaded from. */
    public ModelCatalogue catalogue() {
        return catalogue;
    }

    /** The models of one job, loaded and kept from eviction until {@link #close}. */
    public final class Lease implements AutoCloseable {
        private final Map<String, LoadedModel<?>> models = new HashMap<>();
        private boolean released;

        /** A Stable Diffusion pipeline model (sd15, sd2, sdxl, inpaint, upscaler). */
        public StableDiffusion pipeline(String id) {
            return leased(id, ModelLoader.PIPELINE);
        }

        public ControlNetModel controlNet(String id) {
            return leased(id, ModelLoader.CONTROLNET);
        }

        public SafetyChecker safetyChecker(String id) {
            return leased(id, ModelLoader.SAFETY_CHECKER);
        }

        /** The model as {@code loader} built it: the kind check makes the cast one that cannot fail. */
        private <T> T leased(String id, ModelLoader<T> loader) {
            LoadedModel<?> model = models.get(id);
            if (model == null) {
                throw new IllegalArgumentException("model '" + id + "' is not part of this lease");
            }
            catalogue.find(id, kind -> kind.loadsAs(loader), loader.description());
            return loader.type().cast(model.model());
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
     * Loads (if needed) and leases the given models: pipelines, ControlNets and safety checkers by id, each checked to
     * be of a kind that loads on its own. On failure, what was leased so far is released.
     */
    public Lease lease(Collection<String> ids) throws IOException {
        Lease lease = new Lease();
        try {
            for (String id : new LinkedHashSet<>(ids)) {
                ModelEntry entry = catalogue.find(id);
                ModelLoader<?> loader = entry.kind().loader().orElseThrow(() ->
                        new InvalidRequestException("model", "model '" + id + "' cannot be loaded on its own"));
                lease.models.put(id, acquire(entry, loader));
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

    /** Writes the registry file without a model, before the model is forgotten in memory. */
    @FunctionalInterface
    public interface RegistryWrite {
        void write() throws IOException;
    }

    /**
     * Unregisters model {@code id} (after {@code registryWrite}, which may fail and change nothing) and unloads it if
     * it is loaded; refused while a job holds it. Under the load lock, so no load of it is in flight or starts, and a
     * later model registered under the same id is never served the old one's weights.
     *
     * @throws ModelInUseException a job is using the model now
     */
    public void unregister(String id, RegistryWrite registryWrite) throws IOException {
        catalogue.find(id);
        loadLock.lock();
        Resident unloaded;
        try {
            synchronized (state) {
                if (leases.containsKey(id)) {
                    throw new ModelInUseException(id);
                }
                registryWrite.write();
                catalogue.remove(id);
                unloaded = resident.remove(id);
                if (unloaded != null) {
                    residentBytes -= unloaded.bytes();
                }
            }
        } finally {
            loadLock.unlock();
        }
        if (unloaded != null) {
            closeAll(List.of(unloaded));
            LOG.info("model {} unloaded: it was unregistered", id);
        }
    }

    /** What the resident models are estimated to take together. */
    public long residentBytes() {
        synchronized (state) {
            return residentBytes;
        }
    }

    /** The model, loaded if need be, its lease count raised as it is handed out. */
    /** What reads a model's files. */
    private interface FilesRead<T> {
        T read() throws IOException;
    }

    /**
     * {@code read}'s value; whatever goes wrong reading model {@code id}'s configs and weights at
     * {@code path} (a parse error as much as an I/O error) is the server's files, not the request.
     */
    private static <T> T filesRead(String id, Path path, FilesRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            throw ModelFilesException.of(id, path, e);
        }
    }

    private LoadedModel<?> acquire(ModelEntry entry, ModelLoader<?> loader) throws IOException {
        String id = entry.id();
        Resident ready = leaseIfResident(id);
        if (ready != null) {
            return ready.loaded();
        }
        try {
            loadLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to load model '" + id + "'");
        }
        try {
            // Another worker may have loaded it while this one waited for the lock.
            ready = leaseIfResident(id);
            if (ready != null) {
                return ready.loaded();
            }
            Path path = catalogue.checkedPath(id);
            long bytes = filesRead(id, path, () -> ModelCatalogue.estimatedBytes(entry, path));
            if (bytes > catalogue.memoryBudgetBytes()) {
                throw new ModelTooLargeException(id, bytes, catalogue.memoryBudgetBytes());
            }
            // Before evicting anything: a GPU model on a machine without one fails here, unloading nothing.
            Device device = entry.device().device();
            closeAll(evictFor(bytes));
            Resident loaded = new Resident(filesRead(id, path, () -> loader.load(entry, path, device)), bytes);
            synchronized (state) {
                resident.put(id, loaded);
                residentBytes += bytes;
                leases.merge(id, 1, Integer::sum);
            }
            return loaded.loaded();
        } finally {
            loadLock.unlock();
        }
    }

    private Resident leaseIfResident(String id) {
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("the resident models are closed");
            }
            Resident found = resident.get(id);
            if (found != null) {
                leases.merge(id, 1, Integer::sum);
            }
            return found;
        }
    }

    /** Takes least recently used models out until {@code bytes} more fit in the budget; the caller closes them. */
    private List<Resident> evictFor(long bytes) {
        long budget = catalogue.memoryBudgetBytes();
        List<Resident> evicted = new ArrayList<>();
        synchronized (state) {
            Iterator<Map.Entry<String, Resident>> eldestFirst = resident.entrySet().iterator();
            while (residentBytes + bytes > budget && eldestFirst.hasNext()) {
                Map.Entry<String, Resident> victim = eldestFirst.next();
                if (leases.containsKey(victim.getKey())) {
                    continue;
                }
                eldestFirst.remove();
                residentBytes -= victim.getValue().bytes();
                evicted.add(victim.getValue());
            }
            if (residentBytes + bytes > budget) {
                LOG.warn("loading {} MiB goes over the {} MiB budget: the resident models are in use",
                        bytes >> 20, budget >> 20);
            }
        }
        return evicted;
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
                model.loaded().resources().close();
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
