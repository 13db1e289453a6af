package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.SafetyCheckerFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code safety_check} over loopback gRPC: a registered safety model's verdicts, and none registered. */
class SafetyCheckServiceTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    private static LoopbackEngine engine;
    private static EngineGrpc.EngineBlockingStub stub;

    /** tiny-sd15 and a safety checker that flags every image, registered as a server would list them. */
    @BeforeAll
    static void start() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path checker = SafetyCheckerFixtures.withThresholds(models, "strict-checker",
                SafetyCheckerFixtures.FLAGS_EVERYTHING);
        engine = new LoopbackEngine(SafetyCheckerFixtures.registry(dir, checker), 2);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    private static Result result(List<JobEvent> events) {
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.hasResult()).as(last.toString()).isTrue();
        return last.getResult();
    }

    private static BufferedImage png(Result result, int index) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(result.getImages(index).getPng().toByteArray()));
    }

    @Test
    void aFlaggedImageComesBackBlackAndIsReported() throws Exception {
        Result result = result(WireRequests.events(stub.generate(
                WireRequests.fixtureRequest(session).setSafetyCheck(true).build())));

        assertThat(result.getFlaggedList()).containsExactly(true);
        BufferedImage image = png(result, 0);
        assertThat(image.getWidth()).isEqualTo(128);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                assertThat(image.getRGB(x, y) & 0xFFFFFF).as("pixel %d,%d", x, y).isZero();
            }
        }
        assertThat(engine.models.isLoaded("strict-checker")).isTrue();
    }

    @Test
    void withoutSafetyCheckNothingIsCheckedOrReported() throws Exception {
        Result result = result(WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).build())));

        assertThat(result.getFlaggedList()).isEmpty();
        // The image is the reference's, within PNG quantisation: the checker left it alone. The float
        // image is within a few 1e-6 of the reference (pipe.txt2img.ddim's parity), so a value next to
        // a quantisation boundary may round to the other side: half a level plus that.
        float[] reference = session.golden("pipe.txt2img.ddim").toFloatArray();
        BufferedImage image = png(result, 0);
        double maxDiff = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                int rgb = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    double ours = (rgb >> (16 - 8 * c) & 0xFF) / 255.0;
                    maxDiff = Math.max(maxDiff, Math.abs(ours - reference[(y * 128 + x) * 3 + c]));
                }
            }
        }
        assertThat(maxDiff).isLessThanOrEqualTo(0.5 / 255 + 1e-5);
    }

    @Test
    void aStableDiffusionFolderWithItsCheckerServesAsTheSafetyModelAndOnlyTheCheckerCounts() throws Exception {
        // As published SD 1.x folders are: the pipeline's components next to safety_checker/ and feature_extractor/.
        Path sd = Files.createDirectories(dir.resolve("sd-with-checker"));
        Path checker = SafetyCheckerFixtures.withThresholds(dir, "copied-checker", 0);
        ModelCopies.copy(ParityFixtures.model("tiny-sd15"), sd);
        ModelCopies.copy(checker, sd);
        Path registryFile = dir.resolve("sd-registry.yaml");
        Files.writeString(registryFile,
                "roots: [" + dir + "]\nmodels:\n  - {id: checker, kind: safety, path: sd-with-checker}\n");
        try (ResidentModels models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(registryFile)))) {
            // 115,326 float32 parameters: the checker's alone, not the pipeline's 5.4 million.
            assertThat(models.catalogue().estimatedBytes("checker")).isEqualTo(115_326L * 4);
            try (ResidentModels.Lease lease = models.lease(List.of("checker"))) {
                assertThat(lease.safetyChecker("checker")).isNotNull();
            }
            assertThat(models.residentBytes()).isEqualTo(115_326L * 4);
        }
    }

    @Test
    void withoutARegisteredSafetyModelTheCheckIsAFailedPrecondition() throws Exception {
        try (LoopbackEngine demo = new LoopbackEngine(1)) {
            StatusRuntimeException error = null;
            try {
                WireRequests.events(EngineGrpc.newBlockingStub(demo.channel)
                        .generate(WireRequests.fixtureRequest(session).setSafetyCheck(true).build()));
            } catch (StatusRuntimeException e) {
                error = e;
            }
            assertThat(error).as("the job's error").isNotNull();
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(error.getStatus().getDescription())
                    .startsWith("safety_check: no safety checker model is registered")
                    .contains("kind 'safety'");
        }
    }
}
