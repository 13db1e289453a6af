package io.fijigen.engine.server;

import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.model.SingleFileCheckpoint;
import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.engine.schedule.TimestepSpacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks one entry of a registry's {@code models} list. */
final class ModelEntryReader {
    /** Ids appear in URLs, file names and logs: lower case, no spaces, no path separators. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> KEYS = Set.of("id", "kind", "path", "hub", "revision", "dtype", "device",
            "default_steps", "default_guidance", "default_width", "default_height", "default_scheduler",
            "default_timestep_spacing", "default_eta", "prediction_type");
    /** Kinds whose path may be a single-file checkpoint in the LDM layout rather than a folder. */
    private static final Set<ModelKind> SINGLE_FILE_KINDS = Set.of(ModelKind.SD15, ModelKind.SD2, ModelKind.SDXL,
            ModelKind.INPAINT, ModelKind.CONTROLNET);
    private static final List<String> DEFAULT_KEYS = List.of("default_steps", "default_guidance", "default_width",
            "default_height", "default_scheduler", "default_timestep_spacing", "default_eta");

    private ModelEntryReader() {}

    /** @param where the entry's place in the file, {@code file: models[i]}, which errors start with */
    static ModelEntry read(Object node, String where, ModelRoots roots) throws IOException {
        String id = YamlSection.of(node, where).requiredString("id");
        if (!ID.matcher(id).matches()) {
            throw YamlSection.of(node, where).error("id", "'" + id + "' does not match " + ID.pattern()
                    + " (lower case letters, digits, '.', '_', '-'; at most 64)");
        }
        YamlSection entry = YamlSection.of(node, where + " (id '" + id + "')");
        entry.allowOnly(KEYS);
        String kindName = entry.requiredString("kind");
        ModelKind kind = ModelKind.fromConfigName(kindName).orElseThrow(() -> entry.error("kind",
                "unknown kind '" + kindName + "' (one of " + ModelKind.configNames() + ")"));
        ModelLocation location = location(entry, kind, roots);
        ModelDevice device = entry.string("device")
                .map(name -> ModelDevice.fromConfigName(name).orElseThrow(() -> entry.error("device",
                        "'" + name + "' is not one of " + ModelDevice.configNames())))
                .orElse(ModelDevice.CPU);
        String dtypeName = entry.string("dtype").orElse(ModelDtype.FP32.configName());
        ModelDtype dtype;
        try {
            dtype = dtype(dtypeName, device);
        } catch (IllegalArgumentException e) {
            throw entry.error("dtype", e.getMessage());
        }
        return new ModelEntry(id, kind, location, dtype, device, defaults(entry, kind),
                predictionType(entry, kind, location));
    }

    /**
     * The dtype named {@code name} for a model on {@code device}: a registry entry's, and AddModel's before it writes
     * one.
     *
     * @throws IllegalArgumentException for a name that is none, or fp16 on the CPU; the message lacks the field name
     */
    static ModelDtype dtype(String name, ModelDevice device) {
        ModelDtype dtype = ModelDtype.fromConfigName(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not one of " + ModelDtype.configNames()));
        if (dtype == ModelDtype.FP16 && device == ModelDevice.CPU) {
            throw new IllegalArgumentException("fp16 needs device: gpu (the CPU path computes in float32)");
        }
        return dtype;
    }

    private static ModelLocation location(YamlSection entry, ModelKind kind, ModelRoots roots) throws IOException {
        boolean hasPath = entry.has("path");
        boolean hasHub = entry.has("hub");
        if (hasPath == hasHub) {
            throw entry.error(hasPath ? "path" : "path/hub", hasPath
                    ? "give either path or hub, not both"
                    : "is missing: give a path (under the roots) or a hub repo id");
        }
        if (hasHub) {
            String repo = entry.requiredString("hub");
            if (!HubCache.REPO_ID.matcher(repo).matches()) {
                throw entry.error("hub", "'" + repo + "' is not a hub repo id (owner/name)");
            }
            String revision = entry.string("revision").orElse(HubCache.DEFAULT_REVISION);
            if (!HubCache.REVISION.matcher(revision).matches()) {
                throw entry.error("revision", "'" + revision + "' is not a branch, tag or commit");
            }
            return new ModelLocation.HubRepo(repo, revision);
        }
        if (entry.has("revision")) {
            throw entry.error("revision", "only a hub entry has a revision; a path is used as it is");
        }
        Path real = localPath(entry, entry.requiredString("path"), roots);
        if (kind.loader().isPresent() && !Files.isDirectory(real)
                && !(SINGLE_FILE_KINDS.contains(kind) && SingleFileCheckpoint.isSingleFile(real))) {
            throw entry.error("path", "'" + real + "' is a file; a " + kind.configName() + " model loads from a"
                    + " diffusers folder" + (SINGLE_FILE_KINDS.contains(kind)
                            ? " or a .safetensors checkpoint in the original layout" : ""));
        }
        return new ModelLocation.LocalPath(real);
    }

    /** {@code prediction_type}: only where a single file's sidecar yaml could say it. */
    private static Optional<String> predictionType(YamlSection entry, ModelKind kind, ModelLocation location) {
        Optional<String> given = entry.string("prediction_type");
        if (given.isEmpty()) {
            return given;
        }
        if (!kind.loadsAs(ModelLoader.PIPELINE) || !(location instanceof ModelLocation.LocalPath local)
                || !SingleFileCheckpoint.isSingleFile(local.path())) {
            throw entry.error("prediction_type", "is for a single-file checkpoint (a .safetensors path); a folder's"
                    + " scheduler/scheduler_config.json says it");
        }
        if (!given.get().equals("epsilon") && !given.get().equals("v_prediction")) {
            throw entry.error("prediction_type", "'" + given.get() + "' is not epsilon or v_prediction");
        }
        return given;
    }

    /** A relative path is looked up in each root in turn; whatever it names must resolve inside a root. */
    private static Path localPath(YamlSection entry, String text, ModelRoots roots) throws IOException {
        Path given;
        try {
            given = Path.of(text);
        } catch (InvalidPathException e) {
            throw entry.error("path", "'" + text + "' is not a valid path: " + e.getReason());
        }
        List<Path> candidates = new ArrayList<>();
        if (given.isAbsolute()) {
            candidates.add(given);
        } else {
            roots.paths().forEach(root -> candidates.add(root.resolve(given)));
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                Optional<Path> inside = roots.realPathInside(candidate);
                if (inside.isEmpty()) {
                    throw entry.error("path", "'" + text + "' resolves to " + candidate.toRealPath()
                            + ", outside every root " + roots);
                }
                return inside.get();
            }
        }
        throw entry.error("path", "'" + text + "' is missing: not found under the roots " + roots);
    }

    private static GenerationDefaults defaults(YamlSection entry, ModelKind kind) {
        if (!kind.loadsAs(ModelLoader.PIPELINE)) {
            for (String key : DEFAULT_KEYS) {
                if (entry.has(key)) {
                    throw entry.error(key, "a " + kind.configName() + " model runs no job of its own to default");
                }
            }
            return GenerationDefaults.NONE;
        }
        Optional<String> scheduler = entry.string("default_scheduler");
        if (scheduler.isPresent() && SchedulerKind.fromId(scheduler.get()).isEmpty()) {
            throw entry.error("default_scheduler", SchedulerKind.unknownName(scheduler.get()));
        }
        Optional<String> spacing = entry.string("default_timestep_spacing");
        if (spacing.isPresent() && !TimestepSpacing.NAMES.contains(spacing.get())) {
            throw entry.error("default_timestep_spacing", TimestepSpacing.unknownName(spacing.get()));
        }
        // The request limits hold for a model's defaults too: a default no request may ask for would fail every job.
        RequestField steps = kind == ModelKind.UPSCALER ? RequestField.UPSCALE_STEPS : RequestField.STEPS;
        RequestField guidance = kind == ModelKind.UPSCALER ? RequestField.UPSCALE_GUIDANCE : RequestField.GUIDANCE;
        return new GenerationDefaults(integer(entry, "default_steps", steps), number(entry, "default_guidance", guidance),
                integer(entry, "default_width", RequestField.SIDE), integer(entry, "default_height", RequestField.SIDE),
                scheduler, spacing, number(entry, "default_eta", RequestField.ETA));
    }

    private static OptionalInt integer(YamlSection entry, String key, RequestField field) {
        OptionalInt value = entry.integer(key, (int) field.range().min(), (int) field.range().max());
        if (value.isPresent() && !field.range().contains(value.getAsInt())) {
            throw entry.error(key, value.getAsInt() + " is not a multiple of " + field.range().multiple());
        }
        return value;
    }

    private static OptionalDouble number(YamlSection entry, String key, RequestField field) {
        OptionalDouble value = entry.number(key, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        if (value.isPresent() && !field.range().contains(value.getAsDouble())) {
            throw entry.error(key, FieldRange.number(value.getAsDouble()) + " is outside " + field.range().text());
        }
        return value;
    }
}
