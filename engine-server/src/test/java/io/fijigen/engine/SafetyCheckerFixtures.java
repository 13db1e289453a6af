package io.fijigen.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.weights.ComponentFiles;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Safety checkers made by the tests from the tiny fixture checker: the same network with every
 * concept threshold set to one value. Cosine similarities lie in [−1, 1], so a threshold of −2
 * flags every image and one of 2 none.
 */
public final class SafetyCheckerFixtures {
    public static final float FLAGS_EVERYTHING = -2;
    public static final float FLAGS_NOTHING = 2;

    private SafetyCheckerFixtures() {}

    /** {@code parent/name}: the fixture checker with all thresholds {@code threshold}. */
    public static Path withThresholds(Path parent, String name, float threshold) throws IOException {
        return write(parent, name, threshold, -1, threshold);
    }

    /** {@code parent/name}: the fixture checker in which only {@code concept} can fire, at {@code threshold}. */
    public static Path withOnlyConcept(Path parent, String name, int concept, float threshold) throws IOException {
        return write(parent, name, FLAGS_NOTHING, concept, threshold);
    }

    /**
     * A registry file in {@code dir} offering tiny-sd15 and {@code checker} (a folder made here),
     * registered as a safety model under its folder's name.
     */
    public static Path registry(Path dir, Path checker) throws IOException {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, "roots:\n  - " + ParityFixtures.ROOT.resolve("models") + "\n  - " + checker.getParent()
                + "\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: " + checker.getFileName() + ", kind: safety, path: " + checker.getFileName() + "}\n");
        return file;
    }

    /** Every threshold {@code threshold}, but {@code concept}'s (unless −1) {@code conceptThreshold}. */
    private static Path write(Path parent, String name, float threshold, int concept, float conceptThreshold)
            throws IOException {
        Path source = ParityFixtures.model("tiny-safety-checker");
        Path target = parent.resolve(name);
        Path extractor = target.resolve(ModelFolder.FEATURE_EXTRACTOR);
        Path checker = target.resolve(ModelFolder.SAFETY_CHECKER);
        Files.createDirectories(extractor);
        Files.createDirectories(checker);
        Files.copy(source.resolve(ModelFolder.FEATURE_EXTRACTOR).resolve("preprocessor_config.json"),
                extractor.resolve("preprocessor_config.json"));
        Path sourceChecker = source.resolve(ModelFolder.SAFETY_CHECKER);
        Files.copy(sourceChecker.resolve("config.json"), checker.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager();
                StateDict weights = StateDict.open(ComponentFiles.find(sourceChecker), manager, DataType.FLOAT32)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String key : weights.keys()) {
                NDArray tensor = weights.get(key);
                if (key.endsWith("_embeds_weights")) {
                    float[] thresholds = new float[(int) tensor.size()];
                    Arrays.fill(thresholds, threshold);
                    if (key.equals("concept_embeds_weights") && concept >= 0) {
                        thresholds[concept] = conceptThreshold;
                    }
                    tensor = manager.create(thresholds);
                }
                tensors.put(key, tensor);
            }
            SafetensorsWriter.write(checker.resolve("model.safetensors"), tensors, Map.of());
        }
        return target;
    }
}
