package io.fijigen.engine.cli;

import ai.djl.engine.EngineException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line, {@code error: ...}, that a command which fails, or a command line that does not
 * parse, leaves on stderr; a stack trace only when {@code --debug} asks. An error the user can act
 * on (a path, a value, a server's refusal, the libtorch set-up, a checkpoint that cannot be read)
 * is its message; anything else is a bug, named by its type.
 */
final class ErrorLine implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** Exit codes: a command that failed, and a command line that does not parse (picocli's own). */
    static final int FAILED = CommandLine.ExitCode.SOFTWARE;
    static final int BAD_USAGE = CommandLine.ExitCode.USAGE;

    /** Makes {@code cli} report its errors this way. */
    static void install(CommandLine cli) {
        ErrorLine handler = new ErrorLine();
        cli.setExecutionExceptionHandler(handler);
        cli.setParameterExceptionHandler(handler);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        Throwable cause = unwrapped(e);
        PrintWriter err = command.getErr();
        err.println("error: " + (isUserError(cause) ? message(cause)
                : cause + " (an unexpected error: run again with --debug for its stack trace)"));
        if (FijigenCli.debug(command.getCommandSpec())) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** Picocli's own handler prints the message and then the whole usage help; one line says what to fix. */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String suggestions = "";
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            List<String> some = unmatched.getSuggestions().stream().limit(3).toList();
            suggestions = " (did you mean " + String.join(" or ", some) + "?)";
        }
        PrintWriter err = command.getErr();
        // Some of picocli's messages start "Error: " themselves.
        err.println("error: " + oneLine(e.getMessage()).replaceFirst("^Error: ", "") + suggestions + "; "
                + command.getCommandSpec().qualifiedName() + " --help lists the options");
        err.flush();
        return BAD_USAGE;
    }

    /** The exception a wrapper stands for: an I/O error a stream had to wrap, a job's failure. */
    private static Throwable unwrapped(Throwable e) {
        while ((e instanceof UncheckedIOException || e instanceof ExecutionException
                || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static boolean isUserError(Throwable e) {
        return e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof StatusRuntimeException || e instanceof EngineException
                // The project's own exceptions (LdmFormatException, ModelTooLargeException, ...) are messages to the user.
                || e.getClass().getName().startsWith("io.fijigen.");
    }

    private static String message(Throwable e) {
        if (e instanceof StatusRuntimeException remote) {
            // A server's error: its status code says what kind (NOT_FOUND, INVALID_ARGUMENT, …), its message
            // which field; a connection that failed says why in its cause ("Connection refused: /127.0.0.1:1").
            String description = remote.getStatus().getDescription();
            Throwable cause = remote.getStatus().getCause();
            return remote.getStatus().getCode() + ": " + description
                    + (cause != null && cause.getMessage() != null ? " (" + oneLine(cause.getMessage()) + ")" : "");
        }
        if (e instanceof FileSystemException file && file.getFile() != null) {
            return file.getFile() + ": " + oneLine(reason(file));
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    }

    /** A file system error's reason: the JDK leaves it out for the common ones and names them by type. */
    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        return "cannot be used";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
