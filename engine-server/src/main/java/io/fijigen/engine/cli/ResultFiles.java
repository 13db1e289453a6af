package io.fijigen.engine.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.tensor.Layouts;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.proto.v1.Result;
import java.awt.image.BufferedImage;
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
     * Image {@code i} of the result into {@code file} (numbered FILE-2.png, … after the first) or
     * into {@code dir} as {@code <seed>-<n>.png}; either may be null.
     */
    static void writePngs(GenerationResult result, Path file, Path dir, PrintWriter out) throws IOException {
        if (file == null && dir == null) {
            return;
        }
        int count = (int) result.images().dim(0);
        for (int i = 0; i < count; i++) {
            Path target = dir != null ? inDir(dir, result.seed(), i) : numbered(file, i);
            PngWriter.write(PngWriter.toImage(result.images(), i), result.parameters(), target);
            out.printf("wrote %s (seed %d)%n", target, result.seed());
        }
    }

    /** One image (NHWC batch of one) with its parameters text, no seed involved. */
    static void writePng(HostTensor image, String parameters, Path file, PrintWriter out) throws IOException {
        if (file != null) {
            PngWriter.write(PngWriter.toImage(image, 0), parameters, file);
            out.printf("wrote %s%n", file);
        }
    }

    static void writeTensor(GenerationResult result, Path file, PrintWriter out) throws IOException {
        writeTensor(result.images(), result.parameters(), file, out);
    }

    /** The images as one float32 tensor {@code images}, NHWC in [0, 1] (the reference's output_type="np"). */
    static void writeTensor(HostTensor images, String parameters, Path file, PrintWriter out) throws IOException {
        if (file == null) {
            return;
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SafetensorsWriter.write(file, Map.of("images", images.toNDArray(manager)),
                    Map.of(PngWriter.PARAMETERS_KEY, parameters));
        }
        out.printf("wrote %s%n", file);
    }

    /**
     * A server's result as a local run writes it: its PNGs as they came (with the server's
     * parameters chunk), named as {@link #writePngs(GenerationResult, Path, Path, PrintWriter)} names them.
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

    /** A server's images decoded from their PNGs, as one tensor as {@link #writeTensor(HostTensor, String, Path, PrintWriter)} writes it. */
    static void writeTensor(Result result, Path file, PrintWriter out) throws IOException {
        if (file == null) {
            return;
        }
        HostTensor[] images = new HostTensor[result.getImagesCount()];
        for (int i = 0; i < images.length; i++) {
            String name = "image " + (i + 1) + " from the server";
            BufferedImage png = ImageFiles.decode(result.getImages(i).getPng().toByteArray(), name, ImageFiles.MAX_SIDE);
            images[i] = Layouts.nchwToNhwc(ImageFiles.toTensor(png, name));
        }
        writeTensor(Layouts.stack(images), result.getParameters(), file, out);
    }

    /**
     * A warning line for each image the safety checker flagged, naming its file as the writers above
     * name it (or its number when no PNGs were written).
     */
    static void warnFlagged(List<Boolean> flagged, long seed, Path file, Path dir, PrintWriter err) throws IOException {
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
