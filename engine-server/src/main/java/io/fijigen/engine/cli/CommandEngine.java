package io.fijigen.engine.cli;

import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Where a command's job runs: in this process ({@link LocalEngine}) or on engine servers ({@link
 * RemoteEngine}). Either takes the same request message and gives the same result message; as
 * {@link ModelIds}, it says what the request calls the models the options named.
 */
interface CommandEngine extends ModelIds, AutoCloseable {
    Result generate(GenerateRequest request) throws IOException;

    Result upscale(UpscaleRequest request) throws IOException;

    /** On a server, the options name registered models by id. */
    @Override
    default String of(String given) {
        return given;
    }

    /** Supplies a local run's models, reading the options (and downloading a hub model) only when asked. */
    @FunctionalInterface
    interface LocalModelsSource {
        LocalModels models() throws IOException;
    }

    /** The servers {@code --server} names, else this process, on the models the options name; progress on {@code err}. */
    static CommandEngine open(RemoteOptions remote, PrintWriter err, LocalModelsSource local) throws IOException {
        return remote.given() ? remote.connect(err) : local.models().engine(ProgressBar.onTerminal(err));
    }
}
