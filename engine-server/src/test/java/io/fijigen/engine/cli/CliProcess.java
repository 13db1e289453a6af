package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code fijigen} command line run as its own process, as a user runs it: for what happens once
 * per JVM (loading libtorch) and for the exit code and output a shell sees. {@code out} holds
 * stdout and stderr together.
 */
record CliProcess(int exitCode, String out) {

    static CliProcess run(String... args) throws Exception {
        return withEnvironment(Map.of(), args);
    }

    /** A run with {@code environment} added to this process's environment variables. */
    static CliProcess withEnvironment(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                FijigenCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new CliProcess(process.exitValue(), out);
    }
}
