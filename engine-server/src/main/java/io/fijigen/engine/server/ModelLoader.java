package io.fijigen.engine.server;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.SafetyChecker;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the models of a {@link ModelKind} load: into what, and what closing frees them. The type it carries is the type a
 * {@link ResidentModels.Lease} hands out for such a model, so no caller casts.
 *
 * @param <T> what a loaded model of the kind is
 */
final class ModelLoader<T> {
    /**
     * sd15, sd2, sdxl, inpaint and upscaler models: a whole Stable Diffusion pipeline, named (in its
     * results' parameters) by its folder or file, or a hub snapshot by its repo id, not its commit.
     */
    static final ModelLoader<StableDiffusion> PIPELINE = new ModelLoader<>("pipeline", StableDiffusion.class,
            (entry, path, device) -> {
                StableDiffusion pipeline = entry.location() instanceof ModelLocation.HubRepo hub
                        ? StableDiffusion.load(path, hub.repo(), device, entry.dtype().dataType())
                        : StableDiffusion.load(path, device, entry.dtype().dataType(), entry.predictionType());
                return new LoadedModel<>(pipeline, pipeline);
            });
    /** Into a manager of its own on the model's device, the ControlNet being plain weights with no close of its own. */
    static final ModelLoader<ControlNetModel> CONTROLNET = new ModelLoader<>("ControlNet", ControlNetModel.class,
            (entry, path, device) -> {
                NDManager manager = NDManager.newBaseManager(device);
                try {
                    return new LoadedModel<>(ModelFolder.loadControlNet(path, manager, entry.dtype().dataType()),
                            manager);
                } catch (IOException | RuntimeException e) {
                    manager.close();
                    throw e;
                }
            });
    static final ModelLoader<SafetyChecker> SAFETY_CHECKER = new ModelLoader<>("safety checker", SafetyChecker.class,
            (entry, path, device) -> {
                SafetyChecker checker = SafetyChecker.load(path, device, entry.dtype().dataType());
                return new LoadedModel<>(checker, checker);
            });

    @FunctionalInterface
    private interface Load<T> {
        LoadedModel<T> load(ModelEntry entry, Path path, Device device) throws IOException;
    }

    private final String description;
    private final Class<T> type;
    private final Load<T> load;

    private ModelLoader(String description, Class<T> type, Load<T> load) {
        this.description = description;
        this.type = type;
        this.load = load;
    }

    /** What such a model is, in error messages: "model 'x' is a sd15 model, not a ControlNet". */
    String description() {
        return description;
    }

    Class<T> type() {
        return type;
    }

    /** Loads the model of {@code entry} from {@code path}, checked to lie inside the roots, onto {@code device}. */
    LoadedModel<T> load(ModelEntry entry, Path path, Device device) throws IOException {
        return load.load(entry, path, device);
    }
}
