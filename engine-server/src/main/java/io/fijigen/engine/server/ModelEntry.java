package io.fijigen.engine.server;

import java.util.Optional;
import java.util.Set;

/**
 * One model of the registry, as its config declares it (validated, paths confined to the roots).
 *
 * @param predictionType a single-file checkpoint's {@code prediction_type} ("epsilon" or
 *     "v_prediction") over its sidecar yaml's; empty for folders and when not given
 */
public record ModelEntry(
        String id, ModelKind kind, ModelLocation location, ModelDtype dtype, ModelDevice device,
        GenerationDefaults defaults, Optional<String> predictionType) {

    /** The jobs this model can run, by its kind. */
    public Set<Capability> capabilities() {
        return kind.capabilities();
    }
}
