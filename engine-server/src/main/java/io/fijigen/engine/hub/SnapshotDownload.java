package io.fijigen.engine.hub;

import io.fijigen.engine.config.ModelIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * A repo's snapshot in the hub cache, downloaded as far as it is missing: what huggingface_hub's
 * {@code snapshot_download} does, limited to the files fijigen loads ({@link RepoFiles}).
 *
 * <p>Every file is verified against the hash in its ETag before it enters {@code blobs/}; until then
 * it grows in {@code blobs/<etag>.incomplete}, which a later attempt resumes. {@code refs/<revision>}
 * is written last, so neither the server nor an offline run resolves a revision to a half-downloaded
 * snapshot.
 */
public final class SnapshotDownload {
    /** Attempts per file while each one gets further than the last: a dropped connection resumes. */
    private static final int MAX_ATTEMPTS = 5;

    private final HubSettings settings;
    private final HubCache cache;
    private final HubClient client;
    private final DownloadListener listener;

    public SnapshotDownload(HubSettings settings, DownloadListener listener) {
        this.settings = settings;
        this.cache = settings.hubCache();
        this.client = new HubClient(settings);
        this.listener = listener;
    }

    /**
     * The snapshot folder of {@code repo} at {@code revision} with every file fijigen loads, downloading
     * those the cache lacks; offline, the cached snapshot as it is.
     *
     * @param revision a branch, tag or commit
     * @throws HubException the repo is not reachable, not readable with the token, offers no safetensors,
     *     or (offline) is not in the cache
     */
    public Path snapshot(String repo, String revision) throws IOException {
        checkIds(repo, revision);
        if (settings.offline()) {
            return cache.snapshot(repo, revision).orElseThrow(() -> notCached(repo, revision,
                    "offline mode is on (--offline or HF_HUB_OFFLINE), so nothing is requested: "));
        }
        HubClient.RepoInfo info = client.repoInfo(repo, revision);
        RepoFiles.checkWeights(repo, info.files());
        Optional<Set<String>> components = Optional.empty();
        if (info.files().contains(RepoFiles.MODEL_INDEX)) {
            // A pipeline's model_index.json first: it names the component folders to fetch.
            components = Optional.of(ModelIndex.read(snapshotFile(repo, info.commit(), RepoFiles.MODEL_INDEX))
                    .components().keySet());
        }
        for (String file : RepoFiles.select(info.files(), components)) {
            snapshotFile(repo, info.commit(), file);
        }
        Files.createDirectories(cache.snapshotFolder(repo, info.commit()));
        cache.writeRef(repo, revision, info.commit());
        return cache.snapshotFolder(repo, info.commit());
    }

    /** {@code file} in the commit's snapshot, downloaded unless it is there already. */
    private Path snapshotFile(String repo, String commit, String file) throws IOException {
        Path link = cache.snapshotFolder(repo, commit).resolve(file);
        // A file of this commit already in the snapshot is final: a commit's files never change.
        if (Files.exists(link)) {
            return link;
        }
        HubClient.FileMetadata metadata = client.metadata(repo, commit, file);
        return cache.linkIntoSnapshot(repo, commit, file, blob(repo, commit, file, metadata));
    }

    /** The cached snapshot of a repo, or an error saying it is missing and how to get it; requests nothing. */
    public Path cached(String repo, String revision) throws IOException {
        checkIds(repo, revision);
        return cache.snapshot(repo, revision).orElseThrow(() -> notCached(repo, revision, ""));
    }

    private HubException notCached(String repo, String revision, String why) {
        return new HubException(repo + " at revision " + revision + " is not in the hub cache " + cache.root()
                + " (no " + HubCache.folderName(repo) + "/snapshots/ folder for it); " + why + "download it with"
                + " fijigen download " + repo + (revision.equals(HubCache.DEFAULT_REVISION) ? "" : " --revision " + revision)
                + ", or point HF_HUB_CACHE or HF_HOME at the cache that holds it");
    }

    /** The verified blob of {@code file}, downloaded unless the cache has it (another snapshot may share it). */
    private Path blob(String repo, String commit, String file, HubClient.FileMetadata metadata) throws IOException {
        Path blob = cache.blob(repo, metadata.etag());
        Path partial = cache.incompleteBlob(repo, metadata.etag());
        Files.createDirectories(blob.getParent());
        // Two processes downloading the same blob would append to one partial file; the second waits.
        Path lockFile = cache.root().resolve(".locks").resolve(HubCache.folderName(repo)).resolve(metadata.etag() + ".lock");
        Files.createDirectories(lockFile.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (Files.exists(blob)) {
                return blob;
            }
            if (Files.exists(partial) && Files.size(partial) > metadata.size()) {
                Files.delete(partial);
            }
            String description = file + " of " + repo;
            BlobChecksum checksum = fetch(repo, commit, file, partial, metadata, description);
            try {
                checksum.verify(description);
                if (Files.size(partial) != metadata.size()) {
                    throw new ChecksumMismatchException(description + ": " + Files.size(partial) + " bytes downloaded,"
                            + " the hub announced " + metadata.size() + "; the download was deleted: run it again");
                }
            } catch (ChecksumMismatchException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
            return blob;
        }
    }

    /** Downloads into {@code partial}, resuming after a dropped connection while attempts make progress. */
    private BlobChecksum fetch(String repo, String commit, String file, Path partial, HubClient.FileMetadata metadata,
            String description) throws IOException {
        HashingSink sink = new HashingSink(file, partial, metadata);
        for (int attempt = 1; ; attempt++) {
            long before = Files.exists(partial) ? Files.size(partial) : 0;
            if (before == metadata.size() && before > 0) {
                // An earlier run stopped after the last byte, before the check: only the check is left.
                sink.start(before);
                return sink.checksum;
            }
            try {
                client.download(repo, commit, file, partial, sink);
                return sink.checksum;
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                long after = Files.exists(partial) ? Files.size(partial) : 0;
                if (after <= before || attempt == MAX_ATTEMPTS) {
                    throw new HubException(description + ": download interrupted after " + after + " of "
                            + metadata.size() + " bytes (" + e.getMessage() + "); run the command again to resume", e);
                }
            }
        }
    }

    /** Hashes a download as it arrives, from the bytes an earlier attempt left, and reports progress. */
    private final class HashingSink implements HubClient.DownloadSink {
        private final String file;
        private final Path partial;
        private final HubClient.FileMetadata metadata;
        private BlobChecksum checksum;
        private long done;

        HashingSink(String file, Path partial, HubClient.FileMetadata metadata) {
            this.file = file;
            this.partial = partial;
            this.metadata = metadata;
        }

        @Override
        public void start(long offset) throws IOException {
            checksum = BlobChecksum.of(metadata.etag(), metadata.size());
            if (offset > 0) {
                checksum.update(partial);
            }
            done = offset;
            listener.onBytes(file, done, metadata.size());
        }

        @Override
        public void accept(byte[] block, int length) {
            checksum.update(block, 0, length);
            done += length;
            listener.onBytes(file, done, metadata.size());
        }
    }

    private static void checkIds(String repo, String revision) {
        if (!HubCache.REPO_ID.matcher(repo).matches()) {
            throw new IllegalArgumentException("'" + repo + "' is not a hub repo id: give owner/name, e.g."
                    + " stable-diffusion-v1-5/stable-diffusion-v1-5");
        }
        if (!HubCache.REVISION.matcher(revision).matches()) {
            throw new IllegalArgumentException("revision '" + revision + "' is not a branch, tag or commit"
                    + " (letters, digits, . _ - and /, no '..' segments)");
        }
    }
}
