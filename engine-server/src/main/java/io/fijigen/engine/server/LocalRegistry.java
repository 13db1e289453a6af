package io.fijigen.engine.server;

import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.PipelineConfigs;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of a local run: the models a command line names (its model, ControlNets, LoRAs,
 * embeddings, safety checker), registered under ids made from their names, so that the run's
 * request goes through the same translator and job code as a served one.
 *
 * <p>Unlike a served registry, it reads whatever the user names (its roots are the file system's) and
 * has no memory budget: the user chose every model.
 */
public final class LocalRegistry {
    private final ModelDtype dtype;
    private final ModelDevice device;
    /** The file system's roots (every drive's, on Windows), and the hub caches, as real paths. */
    private final List<Path> roots = new ArrayList<>();
    private final List<ModelEntry> entries = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    /** Models run on {@code device} with floats as {@code dtype}. */
    public LocalRegistry(ModelDtype dtype, ModelDevice device) {
        this.dtype = dtype;
        this.device = device;
        FileSystems.getDefault().getRootDirectories().forEach(roots::add);
    }

    /** A registry for a run that loads no model (Lanczos resampling alone). */
    public static LocalRegistry withoutModels() {
        return new LocalRegistry(ModelDtype.FP32, ModelDevice.CPU);
    }

    /**
     * A Stable Diffusion folder or single-file checkpoint; its kind (what it can run) told by its
     * family: an inpainting UNet only inpaints, the x4 upscaler only upscales.
     */
    public String addPipeline(Path path, Optional<String> predictionType) throws IOException {
        ModelKind kind = ModelKind.ofPipeline(FamilyId.of(PipelineConfigs.read(path, predictionType)));
        return add(name(path), kind, new ModelLocation.LocalPath(path), predictionType);
    }

    /** A pipeline in a hub cache, named by its repo id, as diffusers names it. */
    public String addPipeline(Path hubCache, String repo, String revision, Path snapshot) throws IOException {
        roots.add(hubCache.toRealPath());
        ModelKind kind = ModelKind.ofPipeline(FamilyId.of(PipelineConfigs.read(snapshot, Optional.empty())));
        return add(repo, kind, new ModelLocation.HubRepo(repo, revision), Optional.empty());
    }

    public String addControlNet(Path path) {
        return add(name(path), ModelKind.CONTROLNET, new ModelLocation.LocalPath(path), Optional.empty());
    }

    /** A LoRA file, named as its prompt tags and the parameters text name it: its file name without {@code .safetensors}. */
    public String addLora(Path file) {
        return add(name(file), ModelKind.LORA, new ModelLocation.LocalPath(file), Optional.empty());
    }

    public String addEmbedding(Path file) {
        return add(name(file), ModelKind.EMBEDDING, new ModelLocation.LocalPath(file), Optional.empty());
    }

    /** A folder with {@code safety_checker/} and {@code feature_extractor/}, such as an SD 1.x model's. */
    public String addSafetyChecker(Path dir) {
        return add("safety-checker", ModelKind.SAFETY, new ModelLocation.LocalPath(dir), Optional.empty());
    }

    /** The registered models, loaded on first use; none is unloaded for another. */
    public ResidentModels models() throws IOException {
        return new ResidentModels(new ModelCatalogue(new RegistryConfig(null, ModelRoots.of(roots), Long.MAX_VALUE,
                Long.MAX_VALUE, entries)));
    }

    /** Its id: the name, made unique by a number where two models share it (two LoRAs "style" in two folders). */
    private String add(String name, ModelKind kind, ModelLocation location, Optional<String> predictionType) {
        String id = name;
        for (int n = 2; !ids.add(id); n++) {
            id = name + "-" + n;
        }
        entries.add(new ModelEntry(id, kind, location, dtype, device, GenerationDefaults.NONE, predictionType));
        return id;
    }

    /** A folder's name, or a file's without {@code .safetensors}. */
    private static String name(Path path) {
        String name = path.toAbsolutePath().normalize().getFileName().toString();
        return name.endsWith(".safetensors") && !java.nio.file.Files.isDirectory(path)
                ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }
}
