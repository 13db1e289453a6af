package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.SafetyCheckerFixtures;
import io.fijigen.engine.server.LoopbackEngine;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate --safety-checker DIR} here and {@code --safety-check} on a server: black images, warnings. */
class SafetyCheckCommandTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path strict;
    private static Path lenient;
    private static LoopbackEngine server;

    @BeforeAll
    static void start() throws Exception {
        Path models = Files.createDirectories(shared.resolve("models"));
        strict = SafetyCheckerFixtures.withThresholds(models, "strict", SafetyCheckerFixtures.FLAGS_EVERYTHING);
        lenient = SafetyCheckerFixtures.withThresholds(models, "lenient", SafetyCheckerFixtures.FLAGS_NOTHING);
        server = new LoopbackEngine(SafetyCheckerFixtures.registry(shared, strict), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private CliRun generate(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model, "--prompt", "a lighthouse",
                "--steps", "2", "--width", "64", "--height", "64", "--seed", "5",
                "--out", dir.resolve("out.png").toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private CliRun local(String... more) {
        return generate(ParityFixtures.model("tiny-sd15").toString(), more);
    }

    private static boolean allBlack(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void flaggedImagesAreWrittenBlackWithAWarningNamingEach() throws Exception {
        CliRun run = local("--num-images", "2", "--safety-checker", strict.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path first = dir.resolve("out.png");
        Path second = dir.resolve("out-2.png");
        assertThat(run.err())
                .contains("warning: the safety checker flagged " + first + "; it was replaced by a black image")
                .contains("warning: the safety checker flagged " + second + "; it was replaced by a black image");
        assertThat(allBlack(first)).isTrue();
        assertThat(allBlack(second)).isTrue();
    }

    @Test
    void imagesTheCheckerPassesAreWrittenAsGeneratedWithoutAWarning() throws Exception {
        CliRun run = local("--safety-checker", lenient.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("warning");
        assertThat(allBlack(dir.resolve("out.png"))).isFalse();
    }

    @Test
    void aMissingCheckerFolderIsNamed() {
        Path missing = dir.resolve("no-checker");
        CliRun run = local("--safety-checker", missing.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: " + missing + ": safety checker folder not found");
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    @Test
    void aModelFolderIsNotACheckerFolder() {
        CliRun run = local("--safety-checker", ParityFixtures.model("tiny-sd15").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("not a safety checker folder: no safety_checker/");
    }

    @Test
    void onAServerTheServersCheckerFlagsAndTheCommandWarns() throws Exception {
        CliRun run = generate("tiny-sd15", "--server", server.address(), "--safety-check");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: the safety checker flagged " + dir.resolve("out.png"));
        assertThat(allBlack(dir.resolve("out.png"))).isTrue();
    }

    @Test
    void eachOptionBelongsToItsSide() {
        CliRun remote = generate("tiny-sd15", "--server", server.address(), "--safety-checker", strict.toString());
        assertThat(remote.exitCode()).isEqualTo(1);
        assertThat(remote.err()).startsWith("error: --safety-checker loads a checker here; with --server use"
                + " --safety-check");

        CliRun here = local("--safety-check");
        assertThat(here.exitCode()).isEqualTo(1);
        assertThat(here.err()).startsWith("error: --safety-check asks a server's safety checker (needs --server)");
    }
}
