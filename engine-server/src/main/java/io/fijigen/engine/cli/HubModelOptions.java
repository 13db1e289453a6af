package io.fijigen.engine.cli;

import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.hub.SnapshotDownload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Which revision of a hub repo, and whether the hub may be asked: shared by the commands that take a hub id. */
final class HubModelOptions {
    @Option(names = "--revision", defaultValue = HubCache.DEFAULT_REVISION,
            description = "branch, tag or commit of a hub repo (default ${DEFAULT-VALUE})")
    String revision;

    @Option(names = "--offline", description = "use only the hub cache, request nothing (as HF_HUB_OFFLINE=1)")
    boolean offline;

    /**
     * The hub repo id {@code model} names: an {@code owner/name} that is not a local path. A local
     * folder wins over a hub id of the same name, as in diffusers' from_pretrained.
     */
    static Optional<String> hubId(Path model) {
        String text = model.toString().replace('\\', '/');
        boolean ownerAndName = text.indexOf('/') > 0 && text.indexOf('/') == text.lastIndexOf('/');
        // A checkpoint file that is missing is reported as missing, not looked up on the hub.
        return ownerAndName && HubCache.REPO_ID.matcher(text).matches() && !Files.exists(model)
                && !text.endsWith(".safetensors")
                ? Optional.of(text) : Optional.empty();
    }

    /**
     * The repo's snapshot folder, downloading what the cache lacks unless offline; progress on a terminal.
     *
     * @param command the command running, for its environment and its stderr
     */
    Path snapshot(CommandSpec command, String repo) throws IOException {
        HubSettings settings = FijigenCli.hubSettings(command);
        try (ProgressBar progress = ProgressBar.onTerminal(command.commandLine().getErr())) {
            return new SnapshotDownload(offline ? settings.asOffline() : settings, progress).snapshot(repo, revision);
        }
    }
}
