package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.SafetyCheckerFixtures;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker on whole images: which are flagged, and that exactly those become black. */
class SafetyCheckerTest {
    @TempDir
    Path dir;

    /** {@code safety.image_u8_hwc} as a pipeline returns images: NHWC in [0, 1]. */
    private static HostTensor goldenImage() {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            return HostTensor.of(session.golden("safety.image_u8_hwc").toType(DataType.FLOAT32, false).div(255f));
        }
    }

    /** A uniform grey image of the golden's size. */
    private static HostTensor grey(HostTensor like) {
        float[] data = new float[like.data().length];
        Arrays.fill(data, 0.5f);
        return new HostTensor(data, like.shape());
    }

    private static boolean allZero(HostTensor images, int index) {
        int size = images.data().length / (int) images.dim(0);
        for (int i = index * size; i < (index + 1) * size; i++) {
            if (images.data()[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theFixtureImageIsFlaggedAsTheReferenceFlaggedItAndBlackened() throws Exception {
        HostTensor image = goldenImage();
        try (SafetyChecker checker = SafetyChecker.load(ParityFixtures.model("tiny-safety-checker"), Device.cpu(),
                DataType.FLOAT32)) {
            SafetyChecker.Verdict verdict = checker.check(image);

            // goldens.json: safety_has_nsfw = [true] for this image with this checker.
            assertThat(verdict.flagged()).containsExactly(true);
            assertThat(allZero(verdict.images(), 0)).isTrue();
            assertThat(verdict.images().shape()).containsExactly(image.shape());
            assertThat(allZero(image, 0)).as("the input is left as it was").isFalse();
        }
    }

    @Test
    void onlyTheFlaggedImagesOfABatchBecomeBlack() throws Exception {
        HostTensor golden = goldenImage();
        HostTensor batch = Layouts.stack(grey(golden), golden);
        // Concept 10 alone, at 0.06: the fixture image scores 0.146 there (safety.cos_dist), a uniform grey −0.027.
        Path oneConcept = SafetyCheckerFixtures.withOnlyConcept(dir, "concept-10", 10, 0.06f);
        try (SafetyChecker checker = SafetyChecker.load(oneConcept, Device.cpu(), DataType.FLOAT32)) {
            SafetyChecker.Verdict verdict = checker.check(batch);

            assertThat(verdict.flagged()).containsExactly(false, true);
            assertThat(Arrays.copyOfRange(verdict.images().data(), 0, golden.data().length)).containsOnly(0.5f);
            assertThat(allZero(verdict.images(), 1)).isTrue();
        }
    }

    @Test
    void aCheckerWhoseThresholdsNothingReachesLeavesTheImagesAsTheyAre() throws Exception {
        HostTensor golden = goldenImage();
        HostTensor batch = Layouts.stack(golden, golden);
        Path lenient = SafetyCheckerFixtures.withThresholds(dir, "lenient", SafetyCheckerFixtures.FLAGS_NOTHING);
        try (SafetyChecker checker = SafetyChecker.load(lenient, Device.cpu(), DataType.FLOAT32)) {
            SafetyChecker.Verdict verdict = checker.check(batch);

            assertThat(verdict.flagged()).containsExactly(false, false);
            assertThat(verdict.images()).isEqualTo(batch);
        }
    }

    @Test
    void aMissingFolderOrComponentIsNamed() throws Exception {
        assertThatThrownBy(() -> SafetyChecker.load(dir.resolve("nowhere"), Device.cpu(), DataType.FLOAT32))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nowhere")
                .hasMessageContaining("safety checker folder not found");
        Path half = Files.createDirectories(dir.resolve("half/safety_checker"));
        assertThat(half).isDirectory();
        assertThatThrownBy(() -> SafetyChecker.load(dir.resolve("half"), Device.cpu(), DataType.FLOAT32))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("not a safety checker folder: no feature_extractor/");
    }

    @Test
    void aCheckerFolderWithoutWeightsSaysSo() throws Exception {
        Path copy = SafetyCheckerFixtures.withThresholds(dir, "no-weights", 0);
        Files.delete(copy.resolve("safety_checker/model.safetensors"));
        assertThatThrownBy(() -> SafetyChecker.load(copy, Device.cpu(), DataType.FLOAT32))
                .hasMessageContaining("no safetensors weights in")
                .hasMessageContaining("safety_checker");
    }
}
