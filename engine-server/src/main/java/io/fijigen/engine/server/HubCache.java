package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache layout, read without network access: a repo {@code org/name} lives in
 * {@code models--org--name/}, each downloaded commit in {@code snapshots/<commit>/}, and
 * {@code refs/<branch or tag>} holds the commit a name points at. The server never downloads; a
 * repo that is not in the cache is reported, not fetched.
 */
final class HubCache {
    /** Hub repo ids: an optional owner and a name, as the hub accepts them. */
    static final Pattern REPO_ID =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    /** Branches and tags may hold slashes ({@code refs/pr/1}); no segment may climb out of {@code refs/}. */
    static final Pattern REVISION = Pattern.compile("(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern COMMIT = Pattern.compile("[A-Za-z0-9._-]+");
    static final String DEFAULT_REVISION = "main";
    private static final long MAX_REF_BYTES = 256;

    private HubCache() {}

    /** The cache folder of a repo: {@code models--org--name}. */
    static String folderName(String repo) {
        return "models--" + repo.replace("/", "--");
    }

    /** The snapshot of {@code repo} at {@code revision} in the first root holding it, as a real path in the roots. */
    static Optional<Path> snapshot(ModelRoots roots, String repo, String revision) throws IOException {
        for (Path root : roots.paths()) {
            Path repoDir = root.resolve(folderName(repo));
            if (!Files.isDirectory(repoDir)) {
                continue;
            }
            Optional<String> commit = commitOf(roots, repoDir, revision);
            if (commit.isEmpty()) {
                continue;
            }
            Path snapshot = repoDir.resolve("snapshots").resolve(commit.get());
            if (Files.isDirectory(snapshot)) {
                Optional<Path> inside = roots.realPathInside(snapshot);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    /** A branch or tag resolves through its ref file; anything else is taken as a commit. */
    private static Optional<String> commitOf(ModelRoots roots, Path repoDir, String revision) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        String commit = revision;
        if (Files.isRegularFile(ref)) {
            // A ref is a commit hash; a link out of the roots or a huge file is not one, and is not read.
            Optional<Path> inside = roots.realPathInside(ref);
            if (inside.isEmpty() || Files.size(inside.get()) > MAX_REF_BYTES) {
                return Optional.empty();
            }
            commit = Files.readString(inside.get(), StandardCharsets.UTF_8).strip();
        }
        // The ref file's content becomes a path segment: it must not name anything but a snapshot.
        return COMMIT.matcher(commit).matches() && !commit.equals(".") && !commit.equals("..")
                ? Optional.of(commit)
                : Optional.empty();
    }
}
