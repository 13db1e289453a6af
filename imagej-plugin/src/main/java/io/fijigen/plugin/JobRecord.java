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
 * Info, the request as protobuf text with its images left out ({@value #REQUEST_PROPERTY}), the
 * engine's provenance as protobuf text ({@value #PROVENANCE_PROPERTY}), and a key to the whole
 * request and result, which this Fiji session keeps for its last {@value #SESSION_RESULTS} results
 * ({@value #JOB_PROPERTY}).
 */
public final class JobRecord {
    /** The request as protobuf text, its images left out. */
    public static final String REQUEST_PROPERTY = "fijigen.request";
    /** The engine's {@code Provenance} as protobuf text. */
    public static final String PROVENANCE_PROPERTY = "fijigen.provenance";
    /** The key to the whole request and result in this session. */
    public static final String JOB_PROPERTY = "fijigen.job";
    /** How many results' requests and results a session keeps for Reproduce from Info. */
    static final int SESSION_RESULTS = 32;

    /** A job as sent, and its result as the engine returned it. */
    record Made(BatchJob request, Result result) {}

    private static final Map<String, Made> SESSION = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Made> eldest) {
            return size() > SESSION_RESULTS;
        }
    };

    private final BatchJob request;
    private final Result result;
    private final String key = UUID.randomUUID().toString();

    JobRecord(BatchJob request, Result result) {
        this.request = request;
        this.result = result;
        synchronized (SESSION) {
            SESSION.put(key, new Made(request, result));
        }
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

    /** {@code job} without its images: what a property can hold. */
    static BatchJob withoutImages(BatchJob job) {
        if (job.hasUpscale()) {
            return job.toBuilder().setUpscale(job.getUpscale().toBuilder().clearImage()).build();
        }
        GenerateRequest.Builder request = job.getGenerate().toBuilder().clearInitImage().clearMask();
        List<ControlUnit> controls = new ArrayList<>();
        for (ControlUnit control : request.getControlsList()) {
            controls.add(control.toBuilder().clearImage().build());
        }
        request.clearControls().addAllControls(controls);
        return job.toBuilder().setGenerate(request).build();
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
