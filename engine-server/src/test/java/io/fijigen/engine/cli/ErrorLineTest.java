package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.server.DeviceQueues;
import io.fijigen.engine.server.EngineServer;
import io.fijigen.engine.server.EngineService;
import io.fijigen.engine.server.ModelCatalogue;
import io.fijigen.engine.server.RegistryConfig;
import io.fijigen.engine.server.ResidentModels;
import io.fijigen.engine.server.ServerSettings;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every kind of failure, in every command, as the user sees it: a non-zero exit code and exactly
 * one line on stderr, {@code error: ...}, naming what was wrong; no stack trace unless
 * {@code --debug} asks.
 */
class ErrorLineTest {
    private static final String TOKEN = "the-right-token";
    private static final Path TINY_SD15 = ParityFixtures.model("tiny-sd15");
    private static final Path GOLDENS = ParityFixtures.ROOT.resolve("goldens.safetensors");

    @TempDir
    static Path dir;

    private static ResidentModels models;
    private static DeviceQueues queues;
    /** A server that wants a token: the demo registry, never loaded (the token is refused first). */
    private static EngineServer tokenServer;

    @BeforeAll
    static void startServer() throws Exception {
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(Path.of("../models-config/demo.yaml"))));
        queues = new DeviceQueues(1);
        tokenServer = EngineServer.start(ServerSettings.defaults().withPort(0).withToken(TOKEN)
                .withShutdownGrace(Duration.ofSeconds(1)), new EngineService(models, queues));
    }

    @AfterAll
    static void stopServer() {
        tokenServer.shutdown();
        queues.close();
        models.close();
    }

    /** Runs {@code args} and checks the shape of the failure and that its line holds {@code words}. */
    private static String assertOneLineError(int exitCode, Map<String, String> environment, String[] args,
            String... words) {
        CliRun run = CliRun.withEnvironment(environment, args);
        System.out.println(String.join(" ", args).replace(dir.toString(), "$TMP") + "\n  → " + run.exitCode()
                + ": " + run.err().strip().replace(dir.toString(), "$TMP"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.err().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("at io.")
                .doesNotContain("Exception");
        for (String word : words) {
            assertThat(run.err()).contains(word);
        }
        return run.err();
    }

    private static String assertFails(String[] args, String... words) {
        return assertOneLineError(ErrorLine.FAILED, System.getenv(), args, words);
    }

    private static String assertBadUsage(String[] args, String... words) {
        return assertOneLineError(ErrorLine.BAD_USAGE, System.getenv(), args, words);
    }

    /** A tiny generate on the fixture model with {@code more} options, 64×64 into dir/out.png unless they say otherwise. */
    private static String[] generate(String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", TINY_SD15.toString(), "--prompt", "a cat",
                "--steps", "1"));
        args.addAll(List.of(more));
        for (String option : List.of("--width", "--height")) {
            if (!args.contains(option)) {
                args.addAll(List.of(option, "64"));
            }
        }
        if (!args.contains("--out")) {
            args.addAll(List.of("--out", dir.resolve("out.png").toString()));
        }
        return args.toArray(String[]::new);
    }

    private static String[] args(String... args) {
        return args;
    }

    @Test
    void badValuesOfGenerate() throws Exception {
        assertFails(generate("--scheduler", "warp9"), "unknown scheduler 'warp9'");
        assertFails(generate("--width", "500", "--height", "64"), "width: 500 is not a multiple of 8 (try 496 or 504)");
        assertFails(generate("--dtype", "fp16"), "--dtype fp16 needs --device gpu");
        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'});
        assertFails(generate("--init-image", broken.toString()), "--init-image " + broken,
                "corrupt or unreadable image");
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    @Test
    void missingFilesAndFolders() {
        Path missing = dir.resolve("no-such-model");
        assertFails(args("generate", "--model", missing.toString(), "--prompt", "a cat", "--out",
                dir.resolve("out.png").toString()), "no-such-model", "model folder not found");
        assertFails(generate("--out", dir.resolve("no-such-folder/out.png").toString()),
                "--out " + dir.resolve("no-such-folder/out.png"), "the folder " + dir.resolve("no-such-folder")
                        + " does not exist");
        assertFails(args("upscale", "--image", dir.resolve("none.png").toString(), "--out",
                dir.resolve("big.png").toString()), dir.resolve("none.png") + ": not found");
        assertFails(args("canny", dir.resolve("none.png").toString(), "--out", dir.resolve("edges.png").toString()),
                dir.resolve("none.png") + ": not found");
        assertFails(args("serve", "--config", dir.resolve("none.yaml").toString()), "none.yaml");
        assertFails(args("models", missing.toString()), "no-such-model", "not a model folder");
        assertFails(args("bench", "--model", missing.toString(), "--steps", "1"), "no-such-model");
    }

    @Test
    void aSingleFileCheckpointWhoseHeadsCannotBeInferred() throws Exception {
        Path checkpoint = TinyCheckpoints.weights(Files.createDirectories(dir.resolve("ckpt")), "tiny-sd15", "tiny");
        assertFails(args("generate", "--model", checkpoint.toString(), "--prompt", "a cat", "--out",
                dir.resolve("out.png").toString()), "tiny.safetensors: cannot infer the UNet's attention heads",
                "sidecar tiny.yaml");
    }

    @Test
    void serversThatAreDownOrRefuseTheToken() throws Exception {
        int down;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = closed.getLocalPort();
        }
        assertFails(args("generate", "--server", "127.0.0.1:" + down, "--model", "tiny-sd15", "--prompt", "a cat",
                "--out", dir.resolve("out.png").toString()), "UNAVAILABLE", "Connection refused");
        Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-" + TOKEN);
        String line = assertFails(args("generate", "--server", "127.0.0.1:" + tokenServer.port(), "--token-file",
                wrong.toString(), "--model", "tiny-sd15", "--prompt", "a cat", "--out",
                dir.resolve("out.png").toString()), "UNAUTHENTICATED", "missing or invalid token");
        assertThat(line).doesNotContain(TOKEN);
        Path image = dir.resolve("grey.png");
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY), "png", image.toFile());
        assertFails(args("canny", image.toString(), "--server", "127.0.0.1:" + tokenServer.port(), "--out",
                dir.resolve("edges.png").toString()), "UNAUTHENTICATED");
    }

    @Test
    void hubRepoMissingFromTheCacheOffline() {
        Map<String, String> environment = Map.of("HF_HOME", dir.resolve("hf").toString());
        assertOneLineError(ErrorLine.FAILED, environment, args("download", "--offline", "owner/missing"),
                "owner/missing");
    }

    @Test
    void commandLinesThatDoNotParse() {
        assertBadUsage(generate("--stpes", "3"), "Unknown options: '--stpes', '3'", "did you mean --steps",
                "fijigen generate --help lists the options");
        assertBadUsage(args("generate", "--model", TINY_SD15.toString(), "--out", "x.png"),
                "Missing required option: '--prompt=<prompt>'");
        assertBadUsage(generate("--steps", "many"), "Invalid value for option '--steps': 'many' is not an int");
        assertBadUsage(generate("--kernels", "fast"), "Invalid value for option '--kernels'",
                "'fast' is not torchscript or plain");
        assertThat(assertBadUsage(args("upscale", "--image", "x.png"), "Missing required argument(s)", "--out"))
                .startsWith("error: Missing");
        assertBadUsage(args("nosuchcommand"), "Unmatched argument", "fijigen --help lists the options");
    }

    @Test
    void anUnexpectedErrorIsOneLineNamingItsType() throws Exception {
        CommandLine cli = FijigenCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.getExecutionExceptionHandler().handleExecutionException(
                new NullPointerException("a bug"), cli, null);
        assertThat(code).isEqualTo(ErrorLine.FAILED);
        assertThat(err.toString()).isEqualTo("error: java.lang.NullPointerException: a bug (an unexpected error: run"
                + " again with --debug for its stack trace)" + System.lineSeparator());
    }

    @Test
    void debugAddsTheStackTraceAfterTheLine() {
        CliRun run = CliRun.of("generate", "--debug", "--model", dir.resolve("no-such-model").toString(),
                "--prompt", "a cat", "--out", dir.resolve("out.png").toString());
        assertThat(run.exitCode()).isEqualTo(ErrorLine.FAILED);
        List<String> lines = run.err().lines().toList();
        assertThat(lines.get(0)).startsWith("error: ").contains("model folder not found");
        assertThat(lines.subList(1, lines.size())).anyMatch(line -> line.startsWith("\tat io.fijigen."));
    }
}
