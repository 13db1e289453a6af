package io.fijigen.engine.model;

import io.fijigen.engine.weights.ComponentFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight files loading a model reads, found as the loading finds them (a variant or shards as
 * {@link ComponentFiles} picks them): what a result's provenance hashes. Configs, tokenizers and
 * scheduler files are not weights, nor are components the loading skips (a pipeline folder's
 * safety checker).
 */
public final class WeightFiles {
    private WeightFiles() {}

    /** A pipeline's: a single-file checkpoint, or its text encoders', UNet's and VAE's files. */
    public static List<Path> ofPipeline(Path path) throws IOException {
        if (SingleFileCheckpoint.isSingleFile(path)) {
            return List.of(path);
        }
        ModelFolder folder = ModelFolder.open(path);
        List<Path> files = new ArrayList<>();
        for (String network : folder.family().networks()) {
            files.addAll(ComponentFiles.find(folder.component(network)));
        }
        return files;
    }

    /** A ControlNet's: its single file, or its folder's weights. */
    public static List<Path> ofControlNet(Path path) throws IOException {
        return SingleFileCheckpoint.isSingleFile(path) ? List.of(path) : ComponentFiles.find(path);
    }

    /** A safety checker folder's: its {@code safety_checker/} weights. */
    public static List<Path> ofSafetyChecker(Path path) throws IOException {
        return ComponentFiles.find(ModelFolder.safetyCheckerFolder(path).resolve(ModelFolder.SAFETY_CHECKER));
    }
}
