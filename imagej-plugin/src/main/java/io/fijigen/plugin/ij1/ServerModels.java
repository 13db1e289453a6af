package io.fijigen.plugin.ij1;

import io.fijigen.proto.client.ModelFamilies;
import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's ListModels answer as the choices a dialog offers, and the pairings it refuses. */
record ServerModels(ListModelsResponse response) {
    /** The scheduler choice that leaves the model's own. */
    static final String DEFAULT_SCHEDULER = "default";
    /** A prompt's LoRA tag, {@code <lora:ID:WEIGHT>}, as the engine reads it: the id up to ':' or '>'. */
    private static final Pattern LORA_TAG = Pattern.compile("<lora:([^:>]*)[^>]*>");

    /** Ids of the models with {@code capability}. */
    List<String> with(Capability capability) {
        List<String> ids = new ArrayList<>();
        for (Model model : response.getModelsList()) {
            if (model.getCapabilitiesList().contains(capability)) {
                ids.add(model.getId());
            }
        }
        return ids;
    }

    /** Ids of the models of {@code kind}. */
    List<String> of(ModelKind kind) {
        List<String> ids = new ArrayList<>();
        for (Model model : response.getModelsList()) {
            if (model.getKind() == kind) {
                ids.add(model.getId());
            }
        }
        return ids;
    }

    /** The steps a job on model {@code id} gets when it gives none; 0 for an id the server does not list. */
    int defaultSteps(String id) {
        return model(id).map(Model::getDefaultSteps).orElse(0);
    }

    /**
     * The width a job on model {@code id} gets when it gives none: its native size, unless the
     * server sets another; 0 for an id the server does not list.
     */
    int defaultWidth(String id) {
        return model(id).map(Model::getDefaultWidth).orElse(0);
    }

    /** The height a job on model {@code id} gets when it gives none, as {@link #defaultWidth}. */
    int defaultHeight(String id) {
        return model(id).map(Model::getDefaultHeight).orElse(0);
    }

    /**
     * Refuses a ControlNet made for another family than the model's before anything is sent, as
     * the server would ({@link ModelFamilies}).
     *
     * @throws IllegalArgumentException naming both and their families
     */
    void checkControlNet(String modelId, String controlNetId) {
        misfit("ControlNet", controlNetId, modelId).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /**
     * Refuses a prompt whose {@code <lora:ID>} tag names a LoRA made for another family than the
     * model's, as {@link #checkControlNet}; a tag naming no LoRA the server lists is the server's to refuse.
     *
     * @throws IllegalArgumentException naming the first such LoRA and both families
     */
    void checkLoras(String modelId, String prompt) {
        Matcher tag = LORA_TAG.matcher(prompt);
        while (tag.find()) {
            String id = tag.group(1).strip();
            if (model(id).filter(lora -> lora.getKind() == ModelKind.MODEL_KIND_LORA).isPresent()) {
                misfit("LoRA", id, modelId).ifPresent(problem -> {
                    throw new IllegalArgumentException("prompt: " + tag.group() + ": " + problem);
                });
            }
        }
    }

    private Optional<String> misfit(String what, String addOnId, String modelId) {
        return ModelFamilies.misfit(what, addOnId, family(addOnId), modelId, family(modelId));
    }

    /** The family the server reports for the model; empty when it lists none. */
    private String family(String id) {
        return model(id).map(Model::getFamily).orElse("");
    }

    /**
     * What a job on model {@code id} gets for the fields it leaves at their defaults, in words:
     * {@code "model defaults: 4 steps, pndm, 128×128"}; what the server does not say is left out.
     */
    String defaults(String id) {
        List<String> parts = new ArrayList<>();
        model(id).ifPresent(model -> {
            if (model.getDefaultSteps() > 0) {
                parts.add(model.getDefaultSteps() + " steps");
            }
            if (!model.getDefaultScheduler().isEmpty()) {
                parts.add(model.getDefaultScheduler());
            }
            if (model.getDefaultWidth() > 0) {
                parts.add(model.getDefaultWidth() + "×" + model.getDefaultHeight());
            }
        });
        return parts.isEmpty() ? " " : "model defaults: " + String.join(", ", parts);
    }

    private Optional<Model> model(String id) {
        return response.getModelsList().stream().filter(model -> model.getId().equals(id)).findFirst();
    }

    /** {@link #DEFAULT_SCHEDULER}, then the server's scheduler names. */
    List<String> schedulers() {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT_SCHEDULER);
        names.addAll(response.getSchedulersList());
        return names;
    }

    /** A scheduler choice as a request's scheduler: empty for the model's own. */
    static String scheduler(String choice) {
        return DEFAULT_SCHEDULER.equals(choice) ? "" : choice;
    }
}
