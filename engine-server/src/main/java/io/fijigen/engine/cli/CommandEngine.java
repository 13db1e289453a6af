package io.fijigen.engine.cli;

import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;

/**
 * Where a command's job runs: in this process ({@link LocalEngine}) or on engine servers ({@link
 * RemoteEngine}). Either takes the same request message and gives the same result message.
 */
interface CommandEngine extends AutoCloseable {
    Result generate(GenerateRequest request) throws IOException;

    Result upscale(UpscaleRequest request) throws IOException;
}
