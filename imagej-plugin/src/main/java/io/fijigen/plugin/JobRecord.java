package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import ij.ImagePlus;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.ModelUse;
import io.fijigen.proto.v1.Provenance;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.WeightFile;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What produced a result, kept with it: lines added to its parameters text (so the layer's
 * properties, the image's Info and a TIFF it is saved as carry them) — the engine's version, every
 * model with the SHA-256 of each weight file, the SHA-256 of each image sent (init image, mask,
 * control images), the macro line that runs the job again — and, as properties for Reproduce from
 * Info, the request as protobuf text with its images as their SHA-256 ({@value #REQUEST_PROPERTY}), the
 * engine's provenance as protobuf text ({@value #PROVENANCE_PROPERTY}), and a key to the whole
 * request and result, which this Fiji session keeps for its last {@value #SESSION_RESULTS} results,
 * as many of them as fit in {@value #SESSION_BYTES} bytes ({@value #JOB_PROPERTY}).
 */
public final class JobRecord {
    /** The request as protobuf text, its images left out. */
    public static final String REQUEST_PROPERTY = "fijigen.request";
    /** The engine's {@code Provenance} as protobuf text. */
    public static final String PROVENANCE_PROPERTY = "fijigen.provenance";
    /** The key to the whole request and result in this session. */
    public static final String JOB_PROPERTY = "fijigen.job";
    /** What an image's bytes are replaced with in {@link #REQUEST_PROPERTY}, before their SHA-256. */
    static final String DIGEST_PREFIX = "sha256:";
    /** How many results' requests and results a session keeps for Reproduce from Info. */
    static final int SESSION_RESULTS = 32;
    /**
     * And in how many bytes at most: a 2048² grey job's init image and float output alone take about
     * 60 MB, which 32 times over would crowd Fiji's heap. The latest result is kept whatever its size.
     */
    static final long SESSION_BYTES = 256L << 20;

    /** A job as sent, and its result as the engine returned it. */
    record Made(BatchJob request, Result result) {
        long bytes() {
            return (long) request.getSerializedSize() + result.getSerializedSize();
        }
    }

    // Least recently used first; guarded by itself, as is sessionBytes.
    private static final Map<String, Made> SESSION = new LinkedHashMap<>(16, 0.75f, true);
    private static long sessionBytes;

    private final BatchJob request;
    private final Result result;
    private final String key = UUID.randomUUID().toString();

    /** @param request the job as sent; recorded with the seed the engine drew when it gave none */
    JobRecord(BatchJob request, Result result) {
        this.request = withSeed(request, result);
        this.result = result;
        remember(key, new Made(this.request, result));
    }

    private static void remember(String key, Made made) {
        synchronized (SESSION) {
            SESSION.put(key, made);
            sessionBytes += made.bytes();
            Iterator<Made> eldest = SESSION.values().iterator();
            while (SESSION.size() > SESSION_RESULTS || SESSION.size() > 1 && sessionBytes > SESSION_BYTES) {
                sessionBytes -= eldest.next().bytes();
                eldest.remove();
            }
        }
    }

    /** The key {@link #made} finds the whole request and result by, while the session keeps them. */
    String key() {
        return key;
    }

    private static BatchJob withSeed(BatchJob job, Result result) {
        if (result.getSeedsCount() == 0) {
            return job;
        }
        long seed = result.getSeeds(0);
        if (job.hasUpscale() && !job.getUpscale().hasSeed()) {
            return job.toBuilder().setUpscale(job.getUpscale().toBuilder().setSeed(seed)).build();
        }
        if (job.hasGenerate() && !job.getGenerate().hasSeed()) {
            return job.toBuilder().setGenerate(job.getGenerate().toBuilder().setSeed(seed)).build();
        }
        return job;
    }

    /** The job behind {@code key}, while this session keeps it. */
    static Made made(String key) {
        synchronized (SESSION) {
            return key == null ? null : SESSION.get(key);
        }
    }

    /** The result with the record's lines after its parameters, and the macro line when there is one. */
    Result withLines(String macro) {
        StringBuilder lines = new StringBuilder(result.getParameters().stripTrailing());
        lines.append("\nEngine: fijigen ").append(result.getProvenance().getEngineVersion());
        for (ModelUse model : result.getProvenance().getModelsList()) {
            lines.append("\nWeights of ").append(model.getId()).append(" (").append(role(model)).append("):");
            for (WeightFile file : model.getFilesList()) {
                lines.append(' ').append(file.getPath()).append(" SHA-256 ").append(file.getSha256()).append(';');
            }
            lines.setLength(lines.length() - (model.getFilesCount() > 0 ? 1 : 0));
        }
        for (Map.Entry<String, ByteString> image : images(request).entrySet()) {
            lines.append('\n').append(image.getKey()).append(" SHA-256: ").append(sha256(image.getValue()));
        }
        if (macro != null && !macro.isBlank()) {
            lines.append("\nMacro: ").append(macro);
        }
        return result.toBuilder().setParameters(lines.toString()).build();
    }

    private static String role(ModelUse model) {
        return model.getRole().name().substring("MODEL_ROLE_".length()).toLowerCase(Locale.ROOT);
    }

    /** Writes the record's properties on what {@code inserted} made: its layer, or its new image. */
    void writeOn(Inserted inserted) {
        String requestText = TextFormat.printer().printToString(withoutImages(request));
        String provenanceText = TextFormat.printer().printToString(result.getProvenance());
        if (inserted.layer() != null) {
            inserted.layer().setProperty(REQUEST_PROPERTY, requestText);
            inserted.layer().setProperty(PROVENANCE_PROPERTY, provenanceText);
            inserted.layer().setProperty(JOB_PROPERTY, key);
        } else {
            ImagePlus image = inserted.image();
            image.setProp(REQUEST_PROPERTY, requestText);
            image.setProp(PROVENANCE_PROPERTY, provenanceText);
            image.setProp(JOB_PROPERTY, key);
        }
    }

    /** The images a request sends, by what they are. */
    static Map<String, ByteString> images(BatchJob job) {
        Map<String, ByteString> images = new LinkedHashMap<>();
        if (job.hasUpscale()) {
            images.put("Image", job.getUpscale().getImage());
            return images;
        }
        GenerateRequest request = job.getGenerate();
        if (!request.getInitImage().isEmpty()) {
            images.put("Init image", request.getInitImage());
        }
        if (!request.getMask().isEmpty()) {
            images.put("Mask", request.getMask());
        }
        for (int i = 0; i < request.getControlsCount(); i++) {
            if (!request.getControls(i).getImage().isEmpty()) {
                images.put("Control image " + (i + 1), request.getControls(i).getImage());
            }
        }
        return images;
    }

    /**
     * {@code job} with each image replaced by {@code sha256:<hex>} of its bytes: what a property can
     * hold, and still says which images the job was sent.
     */
    static BatchJob withoutImages(BatchJob job) {
        if (job.hasUpscale()) {
            return job.toBuilder().setUpscale(job.getUpscale().toBuilder().setImage(digest(job.getUpscale().getImage())))
                    .build();
        }
        GenerateRequest.Builder request = job.getGenerate().toBuilder();
        if (!request.getInitImage().isEmpty()) {
            request.setInitImage(digest(request.getInitImage()));
        }
        if (!request.getMask().isEmpty()) {
            request.setMask(digest(request.getMask()));
        }
        List<ControlUnit> controls = new ArrayList<>();
        for (ControlUnit control : request.getControlsList()) {
            controls.add(control.getImage().isEmpty() ? control
                    : control.toBuilder().setImage(digest(control.getImage())).build());
        }
        request.clearControls().addAllControls(controls);
        return job.toBuilder().setGenerate(request).build();
    }

    private static ByteString digest(ByteString image) {
        return ByteString.copyFromUtf8(DIGEST_PREFIX + sha256(image));
    }

    /** Whether {@code job}, as {@link #withoutImages} left it, was sent images: it cannot run without them. */
    static boolean sentImages(BatchJob job) {
        return !images(job).isEmpty();
    }

    /** The request recorded as {@link #REQUEST_PROPERTY}. */
    static BatchJob parseRequest(String text) throws TextFormat.ParseException {
        BatchJob.Builder job = BatchJob.newBuilder();
        TextFormat.merge(text, job);
        return job.build();
    }

    /** The provenance recorded as {@link #PROVENANCE_PROPERTY}. */
    static Provenance parseProvenance(String text) throws TextFormat.ParseException {
        Provenance.Builder provenance = Provenance.newBuilder();
        TextFormat.merge(text, provenance);
        return provenance.build();
    }

    static String sha256(ByteString bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.asReadOnlyByteBuffer());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }
}
