package io.fijigen.plugin.ij1;

import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A server's ListModels answer as the choices a dialog offers. */
record ServerModels(ListModelsResponse response) {
    /** The scheduler choice that leaves the model's own. */
    static final String DEFAULT_SCHEDULER = "default";

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
