package io.fijigen.plugin;

import com.google.protobuf.TextFormat;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelUse;
import io.fijigen.proto.v1.Provenance;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.WeightFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The UI-free core of "Reproduce from Info": the job recorded with a result ({@link JobRecord}) runs
 * again on the current engine, and the new result is compared with the recorded one, value by
 * value — 0 is expected on the same engine and device.
 *
 * <p>The result is the selected fijigen layer of the image, else its topmost one with a record,
 * else the image itself. Before anything runs, the SHA-256 of every weight file the job used is
 * compared with what the engine lists now: a model whose weights changed is reported, never re-run
 * silently. The images a job was sent (init image, mask, control images) are kept by this Fiji
 * session for its last {@value JobRecord#SESSION_RESULTS} results; a result made from images in
 * another session can be reproduced by running its macro line on its source image.
 */
public final class ReproduceAction {
    /** How long to wait for the engine to hash weight files it has not hashed yet. */
    static final long HASH_WAIT_MILLIS = 120_000;

    /**
     * What a reproduction found.
     *
     * @param result what was reproduced: the layer's or the image's name
     * @param maxDifference the largest difference between a recorded and a reproduced 8-bit value
     *     (0..255), over every image and channel
     * @param maxFloatDifference the same over the engine's float output (0..1), where both results
     *     carry it; NaN otherwise
     * @param values how many values were compared
     * @param engineVersion the engine that reproduced it
     */
    public record Reproduction(String result, int maxDifference, double maxFloatDifference, long values,
            String engineVersion) {}

    private final EngineClient client;

    public ReproduceAction(EngineClient client) {
        this.client = client;
    }

    /**
     * Reproduces the result on {@code imp}. Blocks until the job ends.
     *
     * @throws IllegalArgumentException when the image holds no recorded result, or one that needs
     *     images this session no longer has
     * @throws IllegalStateException when the weights differ from those that made the result: it was
     *     not re-run
     * @throws EngineException when the engine failed
     */
    public Reproduction run(ImagePlus imp, JobListener listener) throws EngineException {
        Recorded recorded = Recorded.of(imp);
        Provenance provenance = parse(recorded, JobRecord.PROVENANCE_PROPERTY, JobRecord::parseProvenance);
        checkWeights(provenance);
        JobRecord.Made made = JobRecord.made(recorded.property(JobRecord.JOB_PROPERTY));
        BatchJob request = made != null ? made.request()
                : parse(recorded, JobRecord.REQUEST_PROPERTY, JobRecord::parseRequest);
        if (made == null && JobRecord.sentImages(request)) {
            throw new IllegalArgumentException(recorded.name() + " was made from images this Fiji session no longer "
                    + "has: open the image it was made from and run the macro line in its Info again");
        }
        Result again = request.hasUpscale()
                ? client.upscale(request.getUpscale(), listener)
                : client.generate(request.getGenerate(), listener);
        Comparison comparison = made != null ? compare(made.result(), again) : compare(recorded.pixels(), again);
        return new Reproduction(recorded.name(), comparison.max, comparison.maxFloat, comparison.values,
                again.getProvenance().getEngineVersion());
    }

    /** @throws IllegalStateException naming every weight file whose SHA-256 differs from the recorded one */
    private void checkWeights(Provenance provenance) throws EngineException {
        long deadline = System.currentTimeMillis() + HASH_WAIT_MILLIS;
        while (true) {
            Map<String, Model> models = new HashMap<>();
            ListModelsResponse listed = client.listModels();
            for (Model model : listed.getModelsList()) {
                models.put(model.getId(), model);
            }
            List<String> changed = new ArrayList<>();
            boolean pending = false;
            for (ModelUse use : provenance.getModelsList()) {
                Model now = models.get(use.getId());
                if (now == null) {
                    changed.add(use.getId() + ": the engine has no such model now");
                    continue;
                }
                Map<String, String> hashes = new HashMap<>();
                for (WeightFile file : now.getFilesList()) {
                    hashes.put(file.getPath(), file.getSha256());
                }
                for (WeightFile file : use.getFilesList()) {
                    String hash = hashes.get(file.getPath());
                    if (hash == null) {
                        changed.add(use.getId() + " " + file.getPath() + ": no longer among its weight files");
                    } else if (hash.isEmpty()) {
                        pending = true;
                    } else if (!hash.equals(file.getSha256())) {
                        changed.add(use.getId() + " " + file.getPath() + ": SHA-256 " + file.getSha256()
                                + " when the result was made, " + hash + " now");
                    }
                }
            }
            if (!changed.isEmpty()) {
                throw new IllegalStateException("the weights differ from those that made the result, so it was not "
                        + "run again: " + String.join("; ", changed));
            }
            if (!pending) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the engine has not hashed the model's weights yet; try again later");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the engine hashed the weights", e);
            }
        }
    }

    private record Comparison(int max, double maxFloat, long values) {}

    /** The recorded result's images against the new one's, 8-bit values and float output. */
    private static Comparison compare(Result recorded, Result again) throws EngineException {
        if (recorded.getImagesCount() != again.getImagesCount()) {
            throw new EngineException(io.grpc.Status.Code.INTERNAL, "the engine returned " + again.getImagesCount()
                    + " images where the recorded result has " + recorded.getImagesCount(), null);
        }
        int max = 0;
        long values = 0;
        for (int i = 0; i < recorded.getImagesCount(); i++) {
            ColorProcessor before = ImageConversion.fromPng(recorded.getImages(i).getPng().toByteArray());
            ColorProcessor after = ImageConversion.fromPng(again.getImages(i).getPng().toByteArray());
            Comparison one = compare(before, after);
            max = Math.max(max, one.max);
            values += one.values;
        }
        double maxFloat = Double.NaN;
        if (recorded.hasPixels() && again.hasPixels()) {
            FloatBuffer a = floats(recorded);
            FloatBuffer b = floats(again);
            maxFloat = a.remaining() == b.remaining() ? 0 : Double.POSITIVE_INFINITY;
            for (int i = 0; i < a.remaining() && i < b.remaining(); i++) {
                maxFloat = Math.max(maxFloat, Math.abs(a.get(i) - b.get(i)));
            }
        }
        return new Comparison(max, maxFloat, values);
    }

    /** The recorded pixels (a txt2img image reopened, say) against the new result's first image. */
    private static Comparison compare(ImageProcessor recorded, Result again) {
        ColorProcessor after = ImageConversion.fromPng(again.getImages(0).getPng().toByteArray());
        if (!(recorded instanceof ColorProcessor before)) {
            throw new IllegalArgumentException("only an RGB result can be compared without this session's record of it");
        }
        return compare(before, after);
    }

    private static Comparison compare(ColorProcessor before, ColorProcessor after) {
        if (before.getWidth() != after.getWidth() || before.getHeight() != after.getHeight()) {
            throw new IllegalStateException("the reproduced image is " + after.getWidth() + "×" + after.getHeight()
                    + ", the recorded one " + before.getWidth() + "×" + before.getHeight());
        }
        int max = 0;
        int[] a = (int[]) before.getPixels();
        int[] b = (int[]) after.getPixels();
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                max = Math.max(max, Math.abs((a[i] >> shift & 0xff) - (b[i] >> shift & 0xff)));
            }
        }
        return new Comparison(max, Double.NaN, 3L * a.length);
    }

    private static FloatBuffer floats(Result result) {
        ByteBuffer bytes = result.getPixels().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return bytes.asFloatBuffer();
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text) throws TextFormat.ParseException;
    }

    private static <T> T parse(Recorded recorded, String property, Parser<T> parser) {
        String text = recorded.property(property);
        if (text == null) {
            throw new IllegalArgumentException(recorded.name() + " has no fijigen record (" + property + "): only "
                    + "results made by this version of the plugin can be reproduced");
        }
        try {
            return parser.parse(text);
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException(recorded.name() + ": its record " + property + " is damaged: "
                    + e.getMessage(), e);
        }
    }

    /** Where a result's record is: a layer, or an image. */
    private record Recorded(ImagePlus image, ImageRoi layer) {
        static Recorded of(ImagePlus imp) {
            Roi selected = imp.getRoi();
            if (selected instanceof ImageRoi layer && layer.getProperty(JobRecord.JOB_PROPERTY) != null) {
                return new Recorded(imp, layer);
            }
            List<ImageRoi> layers = Layers.of(imp);
            for (int i = layers.size() - 1; i >= 0; i--) {
                if (layers.get(i).getProperty(JobRecord.JOB_PROPERTY) != null) {
                    return new Recorded(imp, layers.get(i));
                }
            }
            return new Recorded(imp, null);
        }

        String name() {
            return layer != null ? layer.getName() : image.getTitle();
        }

        String property(String key) {
            if (layer != null) {
                return layer.getProperty(key);
            }
            return Optional.ofNullable(image.getProp(key)).filter(value -> !value.isEmpty()).orElse(null);
        }

        ImageProcessor pixels() {
            return layer != null ? layer.getProcessor() : image.getProcessor();
        }
    }
}
