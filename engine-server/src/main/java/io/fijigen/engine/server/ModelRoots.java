package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folders a registry may read models from. Every check compares real paths ({@code ..} resolved,
 * symlinks followed), so neither a crafted relative path nor a link planted in a root reaches a file
 * elsewhere on the machine.
 */
public final class ModelRoots {
    private final List<Path> roots;

    private ModelRoots(List<Path> roots) {
        this.roots = roots;
    }

    /** @param realDirs existing directories, already as real paths */
    static ModelRoots of(List<Path> realDirs) {
        return new ModelRoots(List.copyOf(realDirs));
    }

    /** The roots as real paths, in the config's order (the order relative paths are looked up in). */
    public List<Path> paths() {
        return roots;
    }

    /** The real path of {@code candidate}, if it lies inside a root; it must exist. */
    Optional<Path> realPathInside(Path candidate) throws IOException {
        Path real = candidate.toRealPath();
        return contains(real) ? Optional.of(real) : Optional.empty();
    }

    /**
     * Checks that every file under {@code path} resolves inside the roots. Run before loading, because
     * a folder inside a root may still hold links out of it (a Hugging Face snapshot is made of links).
     * Linked folders are followed, so a link to a folder inside the roots cannot hide a link out.
     */
    void checkTree(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path, FileVisitOption.FOLLOW_LINKS)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!contains(file.toRealPath())) {
                    throw new AccessDeniedException(file.toString(), null, "resolves outside the model roots "
                            + roots);
                }
            }
        }
    }

    private boolean contains(Path real) {
        return roots.stream().anyMatch(real::startsWith);
    }

    @Override
    public String toString() {
        return roots.toString();
    }
}
