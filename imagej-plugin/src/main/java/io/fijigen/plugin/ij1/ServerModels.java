package io.fijigen.plugin.ij1;

import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import java.util.ArrayList;
import java.util.List;

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
        return response.getModelsList().stream().filter(model -> model.getId().equals(id))
                .mapToInt(Model::getDefaultSteps).findFirst().orElse(0);
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
