package io.fijigen.engine.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.image.ClipImageProcessor;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.StableDiffusionSafetyChecker;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A safety checker loaded for use: the CLIP image processor and diffusers' checker network, with
 * its weights in a manager of its own. As the reference pipeline does, a flagged image is replaced
 * by a black one and reported.
 */
public final class SafetyChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SafetyChecker.class);

    private final NDManager manager;
    private final DataType dtype;
    private final ClipImageProcessor featureExtractor;
    private final StableDiffusionSafetyChecker checker;

    private SafetyChecker(NDManager manager, DataType dtype, ClipImageProcessor featureExtractor,
            StableDiffusionSafetyChecker checker) {
        this.manager = manager;
        this.dtype = dtype;
        this.featureExtractor = featureExtractor;
        this.checker = checker;
    }

    /** Loads a safety checker folder ({@code safety_checker/} and {@code feature_extractor/}) onto {@code device}. */
    public static SafetyChecker load(Path dir, Device device, DataType dtype) throws IOException {
        ClipImageProcessor featureExtractor = ModelFolder.featureExtractor(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new SafetyChecker(manager, dtype, featureExtractor, ModelFolder.loadSafetyChecker(dir, manager, dtype));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The images as the checker leaves them (flagged ones black) and, per image, whether it was flagged. */
    public record Verdict(HostTensor images, List<Boolean> flagged) {}

    /** Checks [N, H, W, 3] images in [0, 1], as a pipeline returns them. */
    public Verdict check(HostTensor images) {
        HostTensor clipInput = featureExtractor.preprocess(images);
        boolean[] hasNsfwConcept;
        try (NDManager job = manager.newSubManager()) {
            hasNsfwConcept = checker.hasNsfwConcept(checker.forward(clipInput.toNDArray(job).toType(dtype, false)));
        }
        float[] checked = images.data().clone();
        int size = checked.length / hasNsfwConcept.length;
        List<Boolean> flagged = new ArrayList<>();
        for (int i = 0; i < hasNsfwConcept.length; i++) {
            if (hasNsfwConcept[i]) {
                Arrays.fill(checked, i * size, (i + 1) * size, 0f);
            }
            flagged.add(hasNsfwConcept[i]);
        }
        if (flagged.contains(true)) {
            LOG.warn("the safety checker flagged {} of {} images; they are replaced by black ones",
                    flagged.stream().filter(f -> f).count(), flagged.size());
        }
        return new Verdict(new HostTensor(checked, images.shape()), flagged);
    }

    /** A pipeline's result after the check. */
    public GenerationResult check(GenerationResult result) {
        Verdict verdict = check(result.images());
        return result.checked(verdict.images(), verdict.flagged());
    }

    @Override
    public void close() {
        manager.close();
    }
}
