package io.fijigen.engine.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.server.WireTensors;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.proto.v1.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a result where the command line said: PNGs with their parameters, and/or one tensor. */
final class ResultFiles {
    private ResultFiles() {}

    /**
     * Refuses, before any work, a file to write whose folder does not exist: the job would run only
     * to fail at its end. {@code file} may be null (not asked for).
     */
    static void requireFolder(String option, Path file) {
        if (file == null) {
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(option + " " + file + ": the folder " + folder
                    + " does not exist (create it, or write elsewhere)");
        }
    }

    /**
     * The result's PNGs as they came (with their parameters chunk) into {@code file} (numbered
     * FILE-2.png, … after the first) or into {@code dir} as {@code <seed>-<n>.png}; either may be null.
     */
    static void writePngs(Result result, Path file, Path dir, PrintWriter out) throws IOException {
        if (file == null && dir == null) {
            return;
        }
        long seed = result.getSeeds(0);
        for (int i = 0; i < result.getImagesCount(); i++) {
            Path target = dir != null ? inDir(dir, seed, i) : numbered(file, i);
            Files.write(target, result.getImages(i).getPng().toByteArray());
            out.printf("wrote %s (seed %d)%n", target, seed);
        }
    }

    /**
     * The result's images as one float32 tensor {@code images}, NHWC in [0, 1] (the reference's
     * output_type="np"), from the values the request asked for with {@code float_output}.
     */
    static void writeTensor(Result result, Path file, PrintWriter out) throws IOException {
        if (file == null) {
            return;
        }
        HostTensor images = WireTensors.of("pixels", result.getPixels());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SafetensorsWriter.write(file, Map.of("images", images.toNDArray(manager)),
                    Map.of(PngWriter.PARAMETERS_KEY, result.getParameters()));
        }
        out.printf("wrote %s%n", file);
    }

    /**
     * A warning line for each image the safety checker flagged, naming its file as the writers above
     * name it (or its number when no PNGs were written).
     */
    static void warnFlagged(Result result, Path file, Path dir, PrintWriter err) throws IOException {
        List<Boolean> flagged = result.getFlaggedList();
        long seed = result.getSeeds(0);
        for (int i = 0; i < flagged.size(); i++) {
            if (flagged.get(i)) {
                String image = file == null && dir == null ? "image " + (i + 1)
                        : (dir != null ? inDir(dir, seed, i) : numbered(file, i)).toString();
                err.printf("warning: the safety checker flagged %s; it was replaced by a black image%n", image);
            }
        }
        err.flush();
    }

    private static Path inDir(Path dir, long seed, int index) throws IOException {
        Files.createDirectories(dir);
        return dir.resolve(seed + "-" + (index + 1) + ".png");
    }

    private static Path numbered(Path file, int index) {
        if (index == 0) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = (dot > 0 ? name.substring(0, dot) : name) + "-" + (index + 1) + (dot > 0 ? name.substring(dot) : "");
        return file.resolveSibling(numbered);
    }
}
