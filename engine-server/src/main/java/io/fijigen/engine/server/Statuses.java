package io.fijigen.engine.server;

import ai.djl.engine.EngineException;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.grpc.Status;
import io.fijigen.engine.pipeline.JobMemory;
import java.io.IOException;
import java.util.regex.Pattern;
import java.util.concurrent.CancellationException;

/** The gRPC status of what went wrong, by the conventions of the .proto and the architecture. */
final class Statuses {
    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w.])/(?:[^\\s/:'\"]+/)*?((?:[^\\s/:'\"]+/){0,2}[^\\s/:'\"]+)(?=[\\s:'\"]|$)");

    private Statuses() {}

    static Status of(Throwable error) {
        if (error instanceof InvalidRequestException invalid) {
            String message = invalid.getMessage();
            return Status.INVALID_ARGUMENT.withDescription(
                    message.startsWith(invalid.field()) ? message : invalid.field() + ": " + message);
        }
        if (error instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(error.getMessage());
        }
        if (error instanceof ModelNotFoundException) {
            return Status.NOT_FOUND.withDescription(error.getMessage());
        }
        if (error instanceof QueueFullException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(error.getMessage());
        }
        if (error instanceof JobMemory.JobMemoryException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(error.getMessage());
        }
        if (error instanceof ModelTooLargeException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(error.getMessage());
        }
        if (error instanceof CancellationException) {
            return Status.CANCELLED.withDescription("the job was cancelled");
        }
        if (error instanceof OutOfMemoryError || isNativeOutOfMemory(error)) {
            return Status.RESOURCE_EXHAUSTED.withDescription("out of memory running the job: " + error.getMessage()
                    + " (retry with fewer images, a smaller size or tile)");
        }
        if (error instanceof UnsupportedOperationException) {
            return Status.UNIMPLEMENTED.withDescription(error.getMessage());
        }
        if (error instanceof IllegalStateException) {
            return Status.FAILED_PRECONDITION.withDescription(error.getMessage());
        }
        if (error instanceof IOException) {
            // The server's files, not the request: a precondition the operator must restore.
            return Status.FAILED_PRECONDITION.withDescription("a model's files on the server are damaged or"
                    + " unreadable: " + withoutHostPaths(error.getMessage()));
        }
        return Status.INTERNAL.withDescription(error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    /**
     * Absolute paths cut to their last three parts (model folder, component, file): enough for the
     * operator the client reports to, without showing a network client the host's folders.
     */
    static String withoutHostPaths(String message) {
        return message == null ? null : HOST_PATH.matcher(message).replaceAll("…/$1");
    }

    /**
     * libtorch reports allocation failures as engine errors whose message says so: "CUDA out of
     * memory" on a GPU, "DefaultCPUAllocator: can't allocate memory" (or "not enough memory") on
     * the CPU.
     */
    private static boolean isNativeOutOfMemory(Throwable error) {
        if (!(error instanceof EngineException) || error.getMessage() == null) {
            return false;
        }
        String message = error.getMessage().toLowerCase();
        return message.contains("out of memory") || message.contains("not enough memory")
                || message.contains("can't allocate memory");
    }
}
