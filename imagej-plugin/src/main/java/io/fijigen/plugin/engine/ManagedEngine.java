package io.fijigen.plugin.engine;

import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.EngineClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The engine the plugin runs on this computer, as a child process of Fiji's JVM: started on the
 * first command that needs it, started again (once per command) when it has died, and stopped
 * when Fiji quits. Each Fiji has its own engine: its own port, token and process.
 *
 * <p>No engine outlives Fiji: a shutdown hook stops it when Fiji quits, and the engine stops by
 * itself when its standard input, which only this process holds, closes, as it does when Fiji is
 * killed and no hook runs.
 */
public final class ManagedEngine implements AutoCloseable {
    /** A first GPU start downloads about 2 GB of libtorch before the engine says it serves. */
    private static final Duration START_LIMIT = Duration.ofMinutes(20);
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LINES_IN_MESSAGES = 8;

    private final EngineLaunch launch;
    private final Path tokenDir;
    private final Consumer<String> log;
    /** Not synchronized: Fiji quitting while an engine starts must not wait for the start. */
    private final Thread shutdownHook = new Thread(this::endAtExit, "fijigen engine stop");

    private volatile Process process;
    /** The engine's stdin: closing it stops the engine ({@code --exit-on-stdin-close}). */
    private volatile OutputStream stdin;
    private EngineOutput output;
    private volatile TokenFile token;
    private Connection connection;
    private boolean hooked;

    /**
     * @param launch how to start the engine
     * @param tokenDir where its token file goes, a folder of the user's own
     * @param log where restarts and download progress are reported (ImageJ's Log)
     */
    public ManagedEngine(EngineLaunch launch, Path tokenDir, Consumer<String> log) {
        this.launch = launch;
        this.tokenDir = tokenDir;
        this.log = log;
    }

    public EngineLaunch launch() {
        return launch;
    }

    /**
     * The connection to the running engine: it is started if it is not running, and started again,
     * said in the Log with its last lines, if it has stopped since.
     *
     * @throws IllegalStateException when the engine does not start, with its last lines and what to do
     */
    public synchronized Connection connection() {
        if (process != null && process.isAlive()) {
            return connection;
        }
        if (process == null) {
            start();
            return connection;
        }
        String stopped = "fijigen: the engine had stopped (exit code " + process.exitValue() + "); restarted."
                + " Its last lines:\n  " + String.join("\n  ", output.tail(LINES_IN_MESSAGES));
        release();
        start();
        log.accept(stopped);
        return connection;
    }

    /** The engine process's id while it runs. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** What the engine wrote, its latest lines last; empty before it first started. */
    public synchronized List<String> output() {
        return output == null ? List.of() : output.all();
    }

    private void start() {
        try {
            token = TokenFile.create(tokenDir);
            ProcessBuilder builder = new ProcessBuilder(launch.command(token.file())).redirectErrorStream(true);
            builder.environment().putAll(launch.engineEnvironment());
            process = builder.start();
        } catch (IOException e) {
            release();
            throw new IllegalStateException("the engine could not be started: " + e.getMessage(), e);
        }
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hooked = true;
        }
        stdin = process.getOutputStream();
        output = new EngineOutput(process.getInputStream(), "fijigen engine output " + process.pid(),
                line -> log.accept("fijigen engine: " + line));
        int port = awaitPort();
        connection = Connection.plaintext("127.0.0.1", port).withToken(token.token());
        awaitServing();
    }

    /** The port from the engine's serving line, or a failure saying why it never came. */
    private int awaitPort() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return output.port().get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw startFailure("the engine stopped before serving (exit code " + exitCode() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw startFailure("interrupted while the engine started");
            } catch (ExecutionException e) {
                throw startFailure(e.getMessage());
            }
        }
        throw startFailure("the engine did not say it was serving within " + START_LIMIT.toMinutes() + " minutes");
    }

    private void awaitServing() {
        long deadline = System.nanoTime() + HEALTH_LIMIT.toNanos();
        try (EngineClient client = new EngineClient(connection)) {
            while (!client.serving()) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw startFailure("the engine did not report health SERVING within " + HEALTH_LIMIT.toSeconds()
                            + " s");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw startFailure("interrupted while the engine started");
        }
    }

    /** Ends the half-started engine; the error names why, shows its last lines, and says what to do. */
    private IllegalStateException startFailure(String why) {
        // Its output is read to the end once the process is gone: let the reader catch up.
        end();
        List<String> lines = output.tail(LINES_IN_MESSAGES);
        String message = why + ". Its last lines:\n  " + String.join("\n  ", lines);
        if (launch.device() == EngineDevice.GPU && launch.libtorch() == null
                && lines.stream().anyMatch(line -> line.contains("libtorch could not be loaded"))) {
            message += "\nFor the GPU: " + CudaLibtorch.advice();
        }
        release();
        process = null;
        return new IllegalStateException(message);
    }

    private String exitCode() {
        try {
            return Integer.toString(process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Stops the engine: its input closed, as it stops when Fiji does; forcibly after a grace. */
    public synchronized void stop() {
        end();
        release();
        process = null;
    }

    /** Fiji quits: the engine ends, and its token file with it. */
    private void endAtExit() {
        end();
        TokenFile left = token;
        if (left != null) {
            left.delete();
        }
    }

    private void end() {
        Process process = this.process;
        if (process == null) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // Closed already: the engine is stopping or gone.
        }
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            }
            // Its output ends with it: wait for the reader to have its last lines.
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Forgets the stopped engine's token and connection. */
    private void release() {
        if (token != null) {
            token.delete();
            token = null;
        }
        connection = null;
    }

    /** {@link #stop()}, and the shutdown hook no longer needed. */
    @Override
    public synchronized void close() {
        stop();
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is what runs this.
            }
            hooked = false;
        }
    }
}
