package io.fijigen.plugin.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the engine process writes (stdout and stderr together), read on a thread of its own so the
 * engine never blocks on a full pipe: the latest lines for the Engine Log window and for error
 * messages, the port from its serving line, and DJL's download lines passed on as they come.
 */
final class EngineOutput {
    /** The serving line's port: {@code fijigen engine serving N models on 127.0.0.1:PORT (...)}. */
    private static final Pattern SERVING = Pattern.compile("fijigen engine serving \\d+ models on \\S+:(\\d+) ");
    /** DJL's lines while it fetches a libtorch: the progress a first GPU start shows. */
    private static final Pattern DOWNLOAD = Pattern.compile("Downloading |Uses override PYTORCH_FLAVOR");
    private static final int KEPT_LINES = 2000;

    private final Deque<String> lines = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    /** Starts reading {@code stream} until it ends; download lines go to {@code progress}. */
    EngineOutput(InputStream stream, String name, Consumer<String> progress) {
        Thread reader = new Thread(() -> read(stream, progress), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream stream, Consumer<String> progress) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    if (lines.size() == KEPT_LINES) {
                        lines.removeFirst();
                    }
                    lines.addLast(line);
                }
                Matcher serving = SERVING.matcher(line);
                if (serving.find()) {
                    port.complete(Integer.parseInt(serving.group(1)));
                }
                if (DOWNLOAD.matcher(line).find()) {
                    progress.accept(line);
                }
            }
        } catch (IOException e) {
            // The process is gone; what it wrote until then is kept.
        }
    }

    /** The port the engine said it serves on; completes when it says so. */
    CompletableFuture<Integer> port() {
        return port;
    }

    /** The last {@code count} lines (fewer when it wrote fewer). */
    List<String> tail(int count) {
        synchronized (lines) {
            return lines.stream().skip(Math.max(0, lines.size() - count)).toList();
        }
    }

    /** Every line kept, oldest first. */
    List<String> all() {
        return tail(KEPT_LINES);
    }
}
