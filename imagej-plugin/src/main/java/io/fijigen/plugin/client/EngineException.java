package io.fijigen.plugin.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A call to the engine failed. The message is meant for users: the gRPC status code's name and the
 * server's description (e.g. {@code "UNAUTHENTICATED: missing or invalid token"}), plus a hint
 * where one helps.
 */
public class EngineException extends Exception {
    private final Status.Code code;

    public EngineException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC status code the call ended with. */
    public Status.Code code() {
        return code;
    }

    /** Whether the call was cancelled (by the user or by the server's Cancel). */
    public boolean cancelled() {
        return code == Status.Code.CANCELLED;
    }

    /** A user-readable exception for a failed call. */
    public static EngineException of(StatusRuntimeException e, Connection connection) {
        Status status = e.getStatus();
        StringBuilder message = new StringBuilder(status.getCode().name());
        String description = status.getDescription();
        if (description != null && !description.isBlank()) {
            message.append(": ").append(description);
        } else if (status.getCause() != null && status.getCause().getMessage() != null) {
            message.append(": ").append(status.getCause().getMessage());
        }
        String hint = hint(status.getCode(), connection);
        if (hint != null) {
            message.append(" (").append(hint).append(')');
        }
        return status.getCode() == Status.Code.CANCELLED
                ? new GenerationCancelledException(message.toString(), e)
                : new EngineException(status.getCode(), message.toString(), e);
    }

    private static String hint(Status.Code code, Connection connection) {
        return switch (code) {
            case UNAVAILABLE -> "is the engine running at " + String.join(" or ", connection.servers()) + "?";
            case UNAUTHENTICATED -> connection.token() == null
                    ? "the server needs a token: set it in the connection settings"
                    : "check the token in the connection settings";
            case RESOURCE_EXHAUSTED -> "retry later, or smaller";
            case DEADLINE_EXCEEDED -> connection.timeoutSeconds() > 0
                    ? "longer than the " + connection.timeoutSeconds() + " s timeout of the connection settings"
                    : null;
            default -> null;
        };
    }
}
