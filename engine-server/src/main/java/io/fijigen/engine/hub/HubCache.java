package io.fijigen.engine.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Hugging Face hub cache folder, laid out as huggingface_hub lays it out, so folders downloaded by
 * Python tools are reused and ours are theirs: a repo {@code org/name} lives in {@code models--org--name/},
 * its files once each in {@code blobs/<etag>}, each downloaded commit in {@code snapshots/<commit>/} as
 * relative links to the blobs, and {@code refs/<branch or tag>} holds the commit a name points at.
 */
public final class HubCache {
    /** Hub repo ids: an optional owner and a name, as the hub accepts them. */
    public static final Pattern REPO_ID =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    /** Branches and tags may hold slashes ({@code refs/pr/1}); no segment may climb out of {@code refs/}. */
    public static final Pattern REVISION = Pattern.compile("(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    public static final String DEFAULT_REVISION = "main";
    private static final Pattern COMMIT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String PREFIX = "models--";
    private static final long MAX_REF_BYTES = 256;

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The cache folder of a repo: {@code models--org--name}. */
    public static String folderName(String repo) {
        return PREFIX + repo.replace("/", "--");
    }

    Path repoFolder(String repo) {
        return root.resolve(folderName(repo));
    }

    /** A branch or tag resolves through its ref file; anything else is taken as a commit. */
    public Optional<String> commit(String repo, String revision) throws IOException {
        Path ref = repoFolder(repo).resolve("refs").resolve(revision);
        String commit = revision;
        if (Files.isRegularFile(ref)) {
            // A ref is a commit hash; a link out of the cache or a huge file is not one, and is not read.
            if (!ref.toRealPath().startsWith(root.toRealPath()) || Files.size(ref) > MAX_REF_BYTES) {
                return Optional.empty();
            }
            commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        }
        // The ref file's content becomes a path segment: it must not name anything but a snapshot.
        return isCommit(commit) ? Optional.of(commit) : Optional.empty();
    }

    /** The snapshot folder of {@code repo} at {@code revision}, if the cache holds one. */
    public Optional<Path> snapshot(String repo, String revision) throws IOException {
        Optional<String> commit = commit(repo, revision);
        return commit.map(c -> snapshotFolder(repo, c)).filter(Files::isDirectory);
    }

    Path snapshotFolder(String repo, String commit) {
        return repoFolder(repo).resolve("snapshots").resolve(commit);
    }

    Path blob(String repo, String etag) {
        return repoFolder(repo).resolve("blobs").resolve(etag);
    }

    /** Where a blob grows while it downloads, and stays between interrupted runs to be resumed. */
    Path incompleteBlob(String repo, String etag) {
        return repoFolder(repo).resolve("blobs").resolve(etag + ".incomplete");
    }

    /** Points {@code refs/<revision>} at {@code commit}; a commit given as the revision needs no ref. */
    void writeRef(String repo, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoFolder(repo).resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path temporary = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(temporary, commit, StandardCharsets.UTF_8);
        Files.move(temporary, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes {@code file} of the snapshot a relative link to its blob, as huggingface_hub does, so the
     * cache can be moved; where the file system has no links (some Windows setups) the blob is copied.
     */
    Path linkIntoSnapshot(String repo, String commit, String file, Path blob) throws IOException {
        Path link = snapshotFolder(repo, commit).resolve(file);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        try {
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, link);
        }
        return link;
    }

    /** The repos in this cache with their refs and snapshots, sorted by id; an absent cache holds none. */
    public List<CachedRepo> repos() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<CachedRepo> repos = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.sorted().toList()) {
                String name = folder.getFileName().toString();
                if (name.startsWith(PREFIX) && Files.isDirectory(folder)) {
                    String repo = name.substring(PREFIX.length()).replace("--", "/");
                    if (REPO_ID.matcher(repo).matches()) {
                        repos.add(new CachedRepo(repo, refs(repo), names(folder.resolve("snapshots"))));
                    }
                }
            }
        }
        return repos;
    }

    private TreeMap<String, String> refs(String repo) throws IOException {
        TreeMap<String, String> refs = new TreeMap<>();
        Path refsFolder = repoFolder(repo).resolve("refs");
        if (Files.isDirectory(refsFolder)) {
            try (Stream<Path> files = Files.walk(refsFolder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String revision = refsFolder.relativize(file).toString().replace('\\', '/');
                    if (REVISION.matcher(revision).matches()) {
                        commit(repo, revision).ifPresent(commit -> refs.put(revision, commit));
                    }
                }
            }
        }
        return refs;
    }

    private static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).filter(HubCache::isCommit).sorted().toList();
        }
    }

    private static boolean isCommit(String text) {
        return COMMIT.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
