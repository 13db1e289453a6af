package io.fijigen.engine.server;

import java.nio.file.Path;

/** Where a registered model's files are: a path checked when the config was read, or a hub repo looked up on use. */
public sealed interface ModelLocation {

    /** A folder or file, as its real path (symlinks followed), inside one of the registry's roots. */
    record LocalPath(Path path) implements ModelLocation {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * A Hugging Face repo in a hub cache under one of the roots. Looked up when the model is
     * loaded, not when the config is read, so a model downloaded after the server started is found.
     *
     * @param revision a branch or tag (a file under {@code refs/}) or a commit (a snapshot folder)
     */
    record HubRepo(String repo, String revision) implements ModelLocation {
        @Override
        public String toString() {
            return repo + "@" + revision;
        }
    }
}
