package io.fijigen.engine.cli;

import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.nn.KernelPath;
import io.fijigen.engine.runtime.TorchRuntime.TorchUnavailableException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code fijigen} command: the engine's pipelines and tools, locally or on engine servers. */
@Command(
        name = "fijigen",
        mixinStandardHelpOptions = true,
        versionProvider = FijigenCli.Version.class,
        description = "Stable Diffusion for Fiji/ImageJ: the engine's command line.",
        subcommands = {GenerateCommand.class, UpscaleCommand.class, CannyCommand.class, ServeCommand.class,
            ModelsCommand.class, DownloadCommand.class, BenchCommand.class})
public final class FijigenCli {
    /** The process environment, or a test's: the hub commands read HF_HOME, HF_TOKEN, ... from it. */
    private final Map<String, String> environment;

    private FijigenCli(Map<String, String> environment) {
        this.environment = environment;
    }

    @Option(names = "--kernels", paramLabel = "PATH", scope = CommandLine.ScopeType.INHERIT,
            description = "torchscript: attention, group norm and GEGLU as fused TorchScript kernels (default);"
                    + " plain: DJL ops only")
    void kernels(String path) {
        KernelPath.select(KernelPath.of(path));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failed (message on stderr), 2 bad usage. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its error handling, for running in-process (tests set out/err on it). */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line seeing {@code environment} as its environment variables. */
    public static CommandLine commandLine(Map<String, String> environment) {
        OptionDefaults.publish();
        CommandLine cli = new CommandLine(new FijigenCli(Map.copyOf(environment)));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!isUserError(e)) {
                throw e;
            }
            commandLine.getErr().println("error: " + describe(e));
            return 1;
        });
        return cli;
    }

    /** The hub settings from the environment of the command line {@code spec} belongs to (a command or a mixin's command). */
    static HubSettings hubSettings(CommandSpec spec) throws IOException {
        FijigenCli fijigen = (FijigenCli) spec.root().userObject();
        return HubSettings.fromEnvironment(fijigen.environment, Path.of(System.getProperty("user.home")));
    }

    /** Errors the user can fix (a path, a value, the libtorch set-up): one line, no stack trace. */
    private static boolean isUserError(Exception e) {
        return e instanceof StatusRuntimeException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof TorchUnavailableException;
    }

    private static String describe(Exception e) {
        if (e instanceof StatusRuntimeException remote) {
            // A server's error: its status code says what kind (NOT_FOUND, INVALID_ARGUMENT, …), its message which field.
            return remote.getStatus().getCode() + ": " + remote.getStatus().getDescription();
        }
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return missing.getFile() + ": " + (missing.getReason() != null ? missing.getReason() : "not found");
        }
        return e.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FijigenCli.class.getPackage().getImplementationVersion();
            return new String[] {"fijigen " + (version != null ? version : "(development build)")};
        }
    }
}
