package io.fijigen.engine.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of each weight file, computed once and kept while the file's size and modification time stay the same:
 * in memory, and in the cache file beside the registry ({@link WeightHashFile}), so that a restarted server reads
 * them instead of gigabytes of weights. Whoever needs a hash first computes it, streaming the file; whoever needs it
 * meanwhile waits for that one. One low-priority background thread hashes what the server will need, so that
 * results seldom wait.
 *
 * <p>A cache file that cannot be written (a read-only registry folder) costs one warning, and serving goes on: the
 * hashes are kept in memory, and computed again after a restart.
 */
final class WeightHashes {
    private static final Logger LOG = LoggerFactory.getLogger(WeightHashes.class);
    private static final int BUFFER_BYTES = 1 << 20;
    /** An idle background thread ends after this; the next file queued starts another. */
    private static final long IDLE_SECONDS = 10;

    /** Null: the hashes are kept in memory only. */
    private final Path cacheFile;
    /** By real path, so that links to one file (a hub cache's snapshots) share its hash. */
    private final Map<Path, WeightHashFile.Entry> known = new ConcurrentHashMap<>();
    /** One lock per file, so that no file is read twice at once. */
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();
    private final Set<Path> queued = ConcurrentHashMap.newKeySet();
    /** Its thread ends when idle, so nothing needs closing. */
    private final ThreadPoolExecutor background = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "fijigen-weight-hashes");
                thread.setDaemon(true);
                thread.setPriority(Thread.MIN_PRIORITY);
                return thread;
            });
    /** Guarded by this: false once a write failed, so that it is warned about once. */
    private boolean cacheWritable = true;

    private WeightHashes(Path cacheFile, Map<Path, WeightHashFile.Entry> cached) {
        this.cacheFile = cacheFile;
        this.known.putAll(cached);
        background.allowCoreThreadTimeOut(true);
    }

    /** Hashes kept in memory only: a registry without a file (a command line's own). */
    static WeightHashes inMemory() {
        return new WeightHashes(null, Map.of());
    }

    /**
     * Hashes cached in {@link #cacheFile} of {@code registryFile}, read now; an unreadable cache is warned about and
     * ignored.
     */
    static WeightHashes besideRegistry(Path registryFile) {
        Path cache = cacheFile(registryFile);
        try {
            return new WeightHashes(cache, WeightHashFile.read(cache));
        } catch (IOException e) {
            LOG.warn("cannot read the weight hash cache {} ({}): its files are hashed again", cache, e.toString());
            return new WeightHashes(cache, Map.of());
        }
    }

    /** {@code <registry file>.sha256} in the registry's folder. */
    static Path cacheFile(Path registryFile) {
        return registryFile.resolveSibling(registryFile.getFileName() + ".sha256");
    }

    /** The file's hash if it is known for the file as it is now; otherwise empty, and the file queued to be hashed. */
    Optional<WeightHashFile.Entry> computed(Path file) throws IOException {
        Path real = file.toRealPath();
        WeightHashFile.Entry entry = known.get(real);
        if (entry != null && entry.matches(attributes(real))) {
            return Optional.of(entry);
        }
        hashInBackground(real);
        return Optional.empty();
    }

    /** The file's hash, computed now (or waited for, while another thread computes it) where it is not known. */
    WeightHashFile.Entry hashed(Path file) throws IOException {
        Path real = file.toRealPath();
        WeightHashFile.Entry entry;
        synchronized (locks.computeIfAbsent(real, key -> new Object())) {
            // The attributes before the bytes: a file changed while it is read fails the next match.
            BasicFileAttributes attributes = attributes(real);
            entry = known.get(real);
            if (entry != null && entry.matches(attributes)) {
                return entry;
            }
            entry = new WeightHashFile.Entry(sha256(real), attributes.size(),
                    attributes.lastModifiedTime().toInstant(), real);
            // Saved before it is known: a hash a client has seen is in the cache, unless that cannot be written.
            save(entry);
            known.put(real, entry);
        }
        return entry;
    }

    /** Queues the file for the background thread, unless it is queued already. */
    void hashInBackground(Path file) {
        if (!queued.add(file)) {
            return;
        }
        background.execute(() -> {
            try {
                hashed(file);
            } catch (IOException | RuntimeException e) {
                // Not the operator's news here: ListModels and the jobs of the model say what is wrong with its files.
                LOG.debug("weight file {}: not hashed: {}", file, e.toString());
            } finally {
                queued.remove(file);
            }
        });
    }

    /**
     * Writes every known hash and {@code added} to the cache file, over those another server on the registry may have
     * written since (theirs are kept for files this one has not hashed).
     */
    private synchronized void save(WeightHashFile.Entry added) {
        if (cacheFile == null || !cacheWritable) {
            return;
        }
        try {
            Map<Path, WeightHashFile.Entry> entries = WeightHashFile.read(cacheFile);
            entries.putAll(known);
            entries.put(added.file(), added);
            WeightHashFile.write(cacheFile, entries.values());
        } catch (IOException e) {
            cacheWritable = false;
            LOG.warn("cannot write the weight hash cache {} ({}): weight file hashes are kept in memory only, and"
                    + " computed again after a restart; make the registry's folder writable to keep them", cacheFile,
                    e.toString());
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class);
    }

    /** Streamed: a weight file may be larger than the memory the engine has. */
    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        LOG.debug("weight file {}: hashed in {} s", file, String.format("%.2f", (System.nanoTime() - started) / 1e9));
        return HexFormat.of().formatHex(digest.digest());
    }
}
