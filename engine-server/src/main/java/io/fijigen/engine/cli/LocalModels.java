package io.fijigen.engine.cli;

import io.fijigen.engine.server.LocalRegistry;
import io.fijigen.engine.text.LoraTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models a local run's options name, registered in the run's own {@link LocalRegistry}: what
 * each option's value is called there. A folder or file named twice is registered once, so two
 * ControlNet units on one model load it once, and a LoRA given twice is refused as on a server.
 */
final class LocalModels implements ModelIds {
    private final LocalRegistry registry;
    private final Map<String, String> ids = new HashMap<>();
    private final Map<Path, String> byFile = new HashMap<>();

    private LocalModels(LocalRegistry registry) {
        this.registry = registry;
    }

    /** The models of a run on {@code --model}, registered first. */
    private LocalModels(ModelOptions model) throws IOException {
        this(model.localRegistry());
        ids.put(model.model.toString(), model.register(registry));
    }

    /**
     * The models of a {@code generate} run: its model, ControlNets, LoRAs (given and tagged), embeddings, hires
     * upscaler, checker.
     */
    static LocalModels of(GenerateCommand command) throws IOException {
        LocalModels models = new LocalModels(command.modelOptions);
        // Tags first, under their own names: a tag names its LoRA by id, so no --lora may take that id.
        for (LoraTags.Tag tag : promptTags(command.prompt)) {
            Path file = command.loraOptions.dir.resolve(tag.name() + ".safetensors");
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "--prompt " + tag.text()
                        + ": no such LoRA file (tags name NAME.safetensors in --lora-dir)");
            }
            models.registerFile(tag.name(), file, "LoRA file", () -> models.registry.addLora(file));
        }
        for (String value : command.loraOptions.loras) {
            String source = LoraOptions.Argument.parse(value).source();
            Path file = Path.of(source);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(source, null, "--lora: no such LoRA file");
            }
            models.registerFile(source, file, "LoRA file", () -> models.registry.addLora(file));
        }
        for (Path file : command.embeddings) {
            models.registerFile(file.toString(), file, "embedding file", () -> models.registry.addEmbedding(file));
        }
        for (ControlNetOptions unit : command.controls) {
            models.registerFile(unit.model.toString(), unit.model, "ControlNet folder",
                    () -> models.registry.addControlNet(unit.model));
        }
        if (command.hires != null && command.hires.model().isPresent()) {
            String given = command.hires.model().get();
            Path folder = Path.of(given);
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("--hires-upscaler " + given + ": neither lanczos, latent nor"
                        + " latent-nearest, nor an x4 upscaler folder");
            }
            models.registerFile(given, folder, "x4 upscaler folder",
                    () -> models.registry.addPipeline(folder, Optional.empty()));
        }
        if (command.safetyChecker != null) {
            // Not by the option's text: the request names no checker, and the text is often --model's (an SD
            // 1.x folder holds its own checker).
            Path dir = command.safetyChecker;
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "safety checker folder not found");
            }
            models.registry.addSafetyChecker(dir);
        }
        return models;
    }

    /**
     * The models of an {@code upscale} run: its upscaler, if it names one (without it, Lanczos needs none);
     * with --refine, the tiles' model, their ControlNet and the upscaler that enlarges first.
     */
    static LocalModels of(UpscaleCommand command) throws IOException {
        if (!command.modelOptions.given()) {
            return new LocalModels(LocalRegistry.withoutModels());
        }
        LocalModels models = new LocalModels(command.modelOptions);
        Path controlNet = command.refine != null ? command.refine.controlNet : null;
        if (controlNet != null) {
            models.registerFile(controlNet.toString(), controlNet, "ControlNet folder",
                    () -> models.registry.addControlNet(controlNet));
        }
        Path x4 = command.refine != null ? command.refine.upscaler : null;
        if (x4 != null) {
            models.registerFile(x4.toString(), x4, "x4 upscaler folder",
                    () -> models.registry.addPipeline(x4, Optional.empty()));
        }
        return models;
    }

    /** An engine over these models, in this process; progress on {@code progress}. */
    LocalEngine engine(ProgressBar progress) throws IOException {
        return new LocalEngine(registry.models(), this, progress);
    }

    @Override
    public String of(String given) {
        return ids.get(given);
    }

    private interface Registration {
        String register() throws IOException;
    }

    /** {@code given} names {@code file}, a {@code what}: registered once, however often it is named. */
    private void registerFile(String given, Path file, String what, Registration registration) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        Path real = file.toRealPath();
        String id = byFile.get(real);
        if (id == null) {
            id = registration.register();
            byFile.put(real, id);
        }
        ids.put(given, id);
    }

    /** The prompt's LoRA tags; a prompt whose tags do not parse is the translator's to refuse, with its message. */
    private static List<LoraTags.Tag> promptTags(String prompt) {
        try {
            return LoraTags.parse(prompt).tags();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
