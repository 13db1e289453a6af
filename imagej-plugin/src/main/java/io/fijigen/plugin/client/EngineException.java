package io.fijigen.plugin.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A call to the engine failed. The message is meant for users: what went wrong in their words and
 * the setting to change (e.g. "cannot reach the engine at 127.0.0.1:7860 — is it running?"), never
 * gRPC's; {@link #code()} keeps the status code for programs.
 */
public class EngineException extends Exception {
    /** Where the user changes host, port, token and timeout. */
    static final String SETTINGS = "Plugins › fijigen › Server Settings…";
    /** How the engine names a model in its NOT_FOUND descriptions. */
    private static final Pattern JOB = Pattern.compile("job (\\d+): ");
    private static final Pattern MODEL = Pattern.compile("model '([^']+)'[;:]?\\s*");

    private final Status.Code code;

    public EngineException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The job of a batch whose failure ended the batch, counted from 1 as the message begins
     * {@code job K: }; 0 when the failure is not a batch job's.
     */
    public int job() {
        Matcher job = JOB.matcher(getMessage());
        return job.lookingAt() ? Integer.parseInt(job.group(1)) : 0;
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
        String detail = detail(status);
        // A batch's failed job: its number first, then what the job's own call would have said.
        Matcher job = JOB.matcher(detail);
        String prefix = job.lookingAt() ? job.group() : "";
        String message = prefix + message(status.getCode(), detail.substring(prefix.length()), connection);
        return status.getCode() == Status.Code.CANCELLED
                ? new GenerationCancelledException(message, e)
                : new EngineException(status.getCode(), message, e);
    }

    /**
     * What a status means to the user. The server's own descriptions of bad requests, missing
     * models and full queues already name the field, the value and the limit, so they are kept; a
     * token refusal's description is not, as it spells out the header the token travels in.
     */
    private static String message(Status.Code code, String detail, Connection connection) {
        return switch (code) {
            case UNAVAILABLE -> "cannot reach the engine at " + String.join(" or ", connection.servers())
                    + " — is it running? (" + SETTINGS + ")";
            case UNAUTHENTICATED -> connection.token() == null
                    ? "the engine asks for a token — set the token in " + SETTINGS
                    : "the engine refused the token — set the token in " + SETTINGS;
            case DEADLINE_EXCEEDED -> connection.timeoutSeconds() > 0
                    ? "the engine did not finish within the " + connection.timeoutSeconds() + " s timeout — raise "
                            + "the timeout (0: none) in " + SETTINGS
                    : "the engine did not answer in time — is it overloaded?";
            case RESOURCE_EXHAUSTED -> "the engine cannot take the job now: " + orElse(detail, "it is busy; try again "
                    + "when its jobs have finished");
            case NOT_FOUND -> notFound(detail);
            case CANCELLED -> "the job was cancelled";
            case INTERNAL, UNKNOWN -> "the engine failed: " + orElse(detail, "no reason given")
                    + " (the engine's log has the details)";
            default -> orElse(detail, "the engine ended the call with " + code.name().toLowerCase().replace('_', ' '));
        };
    }

    /** {@code "the engine has no model 'x' — known models: a, b"} from the engine's description. */
    private static String notFound(String detail) {
        Matcher model = MODEL.matcher(detail);
        if (!model.find()) {
            return orElse(detail, "the engine has no such model");
        }
        String rest = detail.substring(model.end());
        return "the engine has no model '" + model.group(1) + "'" + (rest.isEmpty() ? "" : " — " + rest);
    }

    /** The server's description, else the transport's reason (e.g. a refused connection); may be empty. */
    private static String detail(Status status) {
        if (status.getDescription() != null && !status.getDescription().isBlank()) {
            return status.getDescription().strip();
        }
        Throwable cause = status.getCause();
        return cause != null && cause.getMessage() != null ? cause.getMessage().strip() : "";
    }

    private static String orElse(String detail, String fallback) {
        return detail.isEmpty() ? fallback : detail;
    }
}
