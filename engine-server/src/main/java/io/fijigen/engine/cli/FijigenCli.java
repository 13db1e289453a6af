package io.fijigen.engine.cli;

import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.nn.KernelPath;
import io.fijigen.engine.server.EngineVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--kernels", paramLabel = "torchscript|plain", scope = CommandLine.ScopeType.INHERIT,
            description = "torchscript: attention, group norm and GEGLU as fused TorchScript kernels (default);"
                    + " plain: DJL ops only")
    void kernels(String kind) {
        try {
            KernelPath.select(KernelPath.of(kind));
        } catch (IllegalArgumentException e) {
            // As picocli words a value it cannot convert, rather than its "Could not invoke ... kernels(String)".
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--kernels': " + e.getMessage());
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "on an error, print its stack trace after the error line")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 bad usage (either: one line on stderr). */
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
        ErrorLine.install(cli);
        return cli;
    }

    /** The hub settings from the environment of the command line {@code spec} belongs to (a command or a mixin's command). */
    static HubSettings hubSettings(CommandSpec spec) throws IOException {
        FijigenCli fijigen = (FijigenCli) spec.root().userObject();
        return HubSettings.fromEnvironment(fijigen.environment, Path.of(System.getProperty("user.home")));
    }

    /** Whether {@code --debug} was given to the command line {@code spec} belongs to. */
    static boolean debug(CommandSpec spec) {
        return ((FijigenCli) spec.root().userObject()).debug;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EngineVersion.release().orElse("(" + EngineVersion.DEVELOPMENT_BUILD + ")");
            return new String[] {"fijigen " + version};
        }
    }
}
