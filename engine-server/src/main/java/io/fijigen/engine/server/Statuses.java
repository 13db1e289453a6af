package io.fijigen.engine.server;

import ai.djl.engine.EngineException;
import io.fijigen.engine.hub.ChecksumMismatchException;
import io.fijigen.engine.hub.HubException;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.JobMemory;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC status of what went wrong, by the conventions of the .proto and the architecture, with a
 * description fit for a network client: no host path (the server's log has the whole message) and
 * at most {@link #MAX_DESCRIPTION} characters, since a description travels in a header that clients
 * limit (8 KiB by default) and a longer one would turn any answer into a header error.
 */
final class Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);
    /** The longest description a client gets. */
    static final int MAX_DESCRIPTION = 1024;
    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w.])/(?:[^\\s/:'\"]+/)*?((?:[^\\s/:'\"]+/){0,2}[^\\s/:'\"]+)(?=[\\s:'\"]|$)");

    private Statuses() {}

    static Status of(Throwable error) {
        Throwable cause = error instanceof UncheckedIOException unchecked ? unchecked.getCause() : error;
        Status status = classify(cause);
        if (status.getCode() == Status.Code.INTERNAL) {
            LOG.error("a request failed: {}", error.toString(), error);
        } else if (status.getCode() == Status.Code.FAILED_PRECONDITION) {
            LOG.warn("a request failed on the server's side: {}", error.toString());
        }
        return status.withDescription(forClient(status.getDescription()));
    }

    private static Status classify(Throwable error) {
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
        if (error instanceof QueueFullException || error instanceof JobMemory.JobMemoryException
                || error instanceof ModelTooLargeException || error instanceof RejectedExecutionException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(error.getMessage());
        }
        if (error instanceof ServerShuttingDownException) {
            // Clients retry UNAVAILABLE on another server.
            return Status.UNAVAILABLE.withDescription(error.getMessage());
        }
        if (error instanceof JobDroppedException) {
            return Status.CANCELLED.withDescription(error.getMessage());
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
        if (error instanceof IllegalStateException || error instanceof ModelFilesException) {
            return Status.FAILED_PRECONDITION.withDescription(error.getMessage());
        }
        if (error instanceof ModelAdminOffException) {
            return Status.PERMISSION_DENIED.withDescription(error.getMessage());
        }
        if (error instanceof ChecksumMismatchException) {
            return Status.DATA_LOSS.withDescription(error.getMessage());
        }
        if (error instanceof HubException) {
            // The hub refused or could not be reached: its message says what to do.
            return Status.FAILED_PRECONDITION.withDescription(error.getMessage());
        }
        if (error instanceof IOException) {
            // The server's files, not the request: a precondition the operator must restore.
            return Status.FAILED_PRECONDITION.withDescription("a model's files on the server are damaged or"
                    + " unreadable: " + error.getMessage());
        }
        return Status.INTERNAL.withDescription(error.getClass().getSimpleName() + ": " + error.getMessage()
                + " (the server's log has the details)");
    }

    /** {@code description} without host paths, cut to {@link #MAX_DESCRIPTION} characters. */
    static String forClient(String description) {
        if (description == null) {
            return null;
        }
        String shown = withoutHostPaths(description);
        return shown.length() <= MAX_DESCRIPTION ? shown : shown.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    /**
     * Absolute paths cut to their last three parts (model folder, component, file): enough for the
     * operator the client reports to, without showing a network client the host's folders.
     */
    static String withoutHostPaths(String message) {
        return HOST_PATH.matcher(message).replaceAll("…/$1");
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
