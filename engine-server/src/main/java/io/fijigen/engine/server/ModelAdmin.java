package io.fijigen.engine.server;

import io.fijigen.engine.hub.DownloadListener;
import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.hub.SnapshotDownload;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.proto.v1.AddModelRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds models to a served registry (from the hub, or a path on the server's machine) and removes them, changing the
 * registry file and the catalogue together, so the next ListModels and Generate see the change. Off unless the
 * engine was started to allow it ({@code serve --allow-model-admin}, loopback only): a remote client must not make
 * the server download or read what it names.
 *
 * <p>A local path must lie inside the registry's roots, as a path in the file must: adding a root would let a client
 * open up any folder of the machine. Hub downloads go to the engine's hub cache, which must be one of the roots for
 * the registry to find them, as it finds any hub model.
 */
public final class ModelAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(ModelAdmin.class);
    private static final ModelAdmin OFF = new ModelAdmin(null, null, null);

    /** Null when off. */
    private final ResidentModels models;
    private final HubSettings hub;
    private final ModelDevice device;

    private ModelAdmin(ResidentModels models, HubSettings hub, ModelDevice device) {
        this.models = models;
        this.hub = hub;
        this.device = device;
    }

    /** Every admin call refused with PERMISSION_DENIED. */
    public static ModelAdmin off() {
        return OFF;
    }

    /**
     * Admin over {@code models}, whose catalogue must come from a registry file (the file it rewrites), downloading
     * with {@code hub}'s endpoint and token into its cache; the models it adds run on {@code device} ({@code serve
     * --device}, else the CPU, as an entry without a device), which their entries name.
     */
    public static ModelAdmin on(ResidentModels models, HubSettings hub, ModelDevice device) {
        if (models.catalogue().config().file() == null) {
            throw new IllegalArgumentException("model admin needs a registry file to write its changes to");
        }
        return new ModelAdmin(models, hub, device);
    }

    /**
     * Downloads (a hub repo) or finds (a local path) the model's files, tells what they hold and registers them.
     *
     * @param progress told of each downloaded block; may throw to stop the download (the partial file is kept)
     * @return the registered entry, as the registry file now holds it
     */
    ModelEntry add(AddModelRequest request, DownloadListener progress) throws IOException {
        checkOn();
        ModelDtype dtype = dtype(request.getDtype());
        Map<String, Object> item = new LinkedHashMap<>();
        Path files;
        String id;
        String field;
        switch (request.getSourceCase()) {
            case HUB -> {
                String repo = request.getHub().getRepoId();
                String revision = request.getHub().getRevision().isEmpty()
                        ? HubCache.DEFAULT_REVISION : request.getHub().getRevision();
                field = "hub.repo_id";
                if (!HubCache.REPO_ID.matcher(repo).matches()) {
                    throw new InvalidRequestException(field, field + ": '" + repo + "' is not a hub repo id: give"
                            + " owner/name, e.g. stable-diffusion-v1-5/stable-diffusion-v1-5");
                }
                id = id(request, repo.substring(repo.lastIndexOf('/') + 1));
                checkHubCacheIsARoot();
                files = new SnapshotDownload(hub, progress).snapshot(repo, revision);
                item.put("hub", repo);
                if (!revision.equals(HubCache.DEFAULT_REVISION)) {
                    item.put("revision", revision);
                }
            }
            case LOCAL_PATH -> {
                field = "local_path";
                files = insideRoots(request.getLocalPath());
                String name = files.getFileName().toString();
                id = id(request, name.endsWith(".safetensors") && !Files.isDirectory(files)
                        ? name.substring(0, name.length() - ".safetensors".length()) : name);
                item.put("path", files.toString());
            }
            default -> throw new InvalidRequestException("source", "source: give hub or local_path");
        }
        ModelKind kind = request.getKindValue() != 0 ? kind(request.getKind()) : kindOf(files, field);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("kind", kind.configName());
        entry.putAll(item);
        entry.put("dtype", dtype.configName());
        entry.put("device", device.configName());
        synchronized (this) {
            ModelEntry added = new RegistryFile(catalogue().config().file()).withModel(entry);
            catalogue().add(added);
            LOG.info("model {} added: {} {} {} on the {}", id, kind.configName(), added.location(), dtype.configName(),
                    device.configName());
            return added;
        }
    }

    /** Unregisters model {@code id} and unloads it; its files stay. */
    void remove(String id) throws IOException {
        checkOn();
        synchronized (this) {
            catalogue().find(id);
            models.unregister(id, () -> new RegistryFile(catalogue().config().file()).withoutModel(id));
            LOG.info("model {} removed (its files stay)", id);
        }
    }

    private ModelCatalogue catalogue() {
        return models.catalogue();
    }

    /** @throws ModelAdminOffException admin is off */
    void checkOn() {
        if (models == null) {
            throw new ModelAdminOffException();
        }
    }

    /**
     * The dtype asked for, checked as a registry entry's is, else the device's default: on a GPU fp16 weights take
     * half the memory, and the CPU computes in float32 only.
     */
    private ModelDtype dtype(String name) {
        ModelDtype fallback = device == ModelDevice.GPU ? ModelDtype.FP16 : ModelDtype.FP32;
        if (name.isEmpty()) {
            return fallback;
        }
        try {
            return ModelEntryReader.dtype(name, device);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("dtype", "dtype: " + e.getMessage() + "; this engine runs the models it"
                    + " adds on the " + device.configName() + ", where an empty dtype means " + fallback.configName());
        }
    }

    /** The id asked for, else one made from {@code name}; refused when taken. */
    private String id(AddModelRequest request, String name) {
        String id = request.getId().isEmpty()
                ? name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[._-]+", "")
                : request.getId();
        if (!ModelEntryReader.ID.matcher(id).matches()) {
            throw new InvalidRequestException("id", "id: '" + id + "' does not match " + ModelEntryReader.ID.pattern()
                    + (request.getId().isEmpty() ? " (made from '" + name + "'): give an id" : ""));
        }
        if (catalogue().entries().stream().anyMatch(entry -> entry.id().equals(id))) {
            throw new InvalidRequestException("id", "id: model '" + id + "' is registered already: give another id,"
                    + " or remove it first");
        }
        return id;
    }

    private void checkHubCacheIsARoot() throws IOException {
        Path cache = hub.cache().toAbsolutePath().normalize();
        Optional<Path> real = Files.isDirectory(cache) ? Optional.of(cache.toRealPath()) : Optional.empty();
        if (real.isEmpty() || !catalogue().config().roots().paths().contains(real.get())) {
            throw new IllegalStateException("the engine's hub cache " + cache + " is not one of the registry's roots "
                    + catalogue().config().roots() + ", so a model downloaded there would not be found: add it to"
                    + " roots in the registry file, or point HF_HUB_CACHE at a root");
        }
    }

    /** The real path of {@code text}, checked to exist and to lie inside the roots with every file under it. */
    private Path insideRoots(String text) throws IOException {
        Path given;
        try {
            given = Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("local_path", "local_path: '" + text + "' is not a valid path: "
                    + e.getReason());
        }
        if (!given.isAbsolute()) {
            throw new InvalidRequestException("local_path", "local_path: '" + text + "' is not absolute: give the"
                    + " full path on the server's machine");
        }
        if (!Files.exists(given)) {
            throw new InvalidRequestException("local_path", "local_path: '" + text + "' does not exist on the server");
        }
        ModelRoots roots = catalogue().config().roots();
        Path real = roots.realPathInside(given).orElseThrow(() -> new InvalidRequestException("local_path",
                "local_path: '" + text + "' is outside the registry's roots " + roots + ": move or link it under a"
                        + " root, or add its folder to roots in the registry file"));
        try {
            roots.checkTree(real);
        } catch (IOException e) {
            throw new InvalidRequestException("local_path", "local_path: '" + text + "': " + e.getMessage());
        }
        return real;
    }

    /** What the files hold, told as {@code fijigen models} tells it; refused when they hold no model the engine serves. */
    private static ModelKind kindOf(Path files, String field) {
        ModelSummary summary;
        try {
            summary = ModelSummary.of(files);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException(field, field + ": " + files + " holds no model the engine can load: "
                    + e.getMessage());
        }
        boolean controlNet = summary.className().equals("ControlNetModel");
        return switch (summary.kind()) {
            case "pipeline" -> pipeline(summary, field);
            case "single file" -> controlNet ? ModelKind.CONTROLNET : pipeline(summary, field);
            case "safety checker" -> ModelKind.SAFETY;
            case "LoRA" -> ModelKind.LORA;
            case "textual inversion" -> ModelKind.EMBEDDING;
            default -> {
                if (controlNet) {
                    yield ModelKind.CONTROLNET;
                }
                throw new InvalidRequestException(field, field + ": " + files + " is a " + summary.kind()
                        + (summary.className().isEmpty() ? "" : " " + summary.className()) + ", not a model the"
                        + " engine serves (a pipeline, ControlNet, LoRA, embedding or safety checker)");
            }
        };
    }

    private static ModelKind pipeline(ModelSummary summary, String field) {
        return ModelKind.ofPipeline(summary.family().orElseThrow(() -> new InvalidRequestException(field, field + ": "
                + summary.path() + " is a " + summary.className() + " of no family the engine knows")));
    }

    private static ModelKind kind(io.fijigen.proto.v1.ModelKind wire) {
        String name = wire.name().substring("MODEL_KIND_".length());
        try {
            return ModelKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("kind", "kind: " + wire + " is not a kind of model");
        }
    }
}
