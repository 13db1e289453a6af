package io.fijigen.engine.server;

import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered model as ListModels (and model admin) describes it: kind, capabilities, family, the defaults a job on it
 * gets, its weight files and their hashes, its size on disk, whether it is loaded. What cannot be read from its files
 * now is left out, so one damaged model never breaks the whole list.
 */
final class ModelListing {
    private static final Logger LOG = LoggerFactory.getLogger(ModelListing.class);
    private final ResidentModels models;
    private final ModelWeights weights;

    ModelListing(ResidentModels models, ModelWeights weights) {
        this.models = models;
        this.weights = weights;
    }

    Model of(ModelEntry entry) {
        Model.Builder model = Model.newBuilder()
                .setId(entry.id())
                .setKind(ModelKind.valueOf("MODEL_KIND_" + entry.kind().name()))
                .setLoaded(models.isLoaded(entry.id()))
                .setDtype(entry.dtype().configName());
        entry.capabilities().forEach(capability ->
                model.addCapabilities(io.fijigen.proto.v1.Capability.valueOf("CAPABILITY_" + capability.name())));
        setFamily(model, entry);
        setDefaults(model, entry);
        setFiles(model, entry);
        return model.build();
    }

    private void setFamily(Model.Builder model, ModelEntry entry) {
        try {
            models.catalogue().family(entry.id()).ifPresent(family -> model.setFamily(family.id()));
        } catch (IOException | RuntimeException e) {
            // Its files are missing or damaged: a job on it would say so; the list stays whole.
            LOG.warn("model {}: its family is unknown: {}", entry.id(), e.getMessage());
        }
    }

    private void setFiles(Model.Builder model, ModelEntry entry) {
        try {
            model.addAllFiles(weights.listed(entry.id()));
            model.setSizeOnDiskBytes(models.catalogue().diskBytes(entry.id()));
        } catch (IOException | RuntimeException e) {
            // Its files are missing or damaged: a job on it would say so; the list stays whole.
            LOG.warn("model {}: its weight files are unknown: {}", entry.id(), e.getMessage());
        }
    }

    /** What a job on the model gets when it leaves a field unset: the translator's defaults, as the proto describes them. */
    private void setDefaults(Model.Builder model, ModelEntry entry) {
        GenerationDefaults defaults = entry.defaults();
        defaults.timestepSpacing().ifPresent(model::setDefaultTimestepSpacing);
        defaults.eta().ifPresent(model::setDefaultEta);
        if (entry.capabilities().contains(Capability.UPSCALE)) {
            model.setDefaultSteps(defaults.steps().orElse(RequestField.UPSCALE_STEPS.defaultInt()))
                    .setDefaultScheduler(defaults.scheduler().orElse(""));
        } else if (entry.capabilities().contains(Capability.TXT2IMG) || entry.capabilities().contains(Capability.INPAINT)) {
            model.setDefaultSteps(defaults.steps().orElse(RequestField.STEPS.defaultInt()))
                    .setDefaultScheduler(defaults.scheduler().orElse(""));
            try {
                int nativeSize = models.catalogue().nativeSize(entry.id());
                model.setNativeSize(nativeSize)
                        .setDefaultWidth(defaults.width().orElse(nativeSize))
                        .setDefaultHeight(defaults.height().orElse(nativeSize));
            } catch (IOException | RuntimeException e) {
                // Its files are missing or damaged: a job on it would say so; the list stays whole.
                LOG.warn("model {}: its size is unknown: {}", entry.id(), e.getMessage());
            }
        }
    }
}
