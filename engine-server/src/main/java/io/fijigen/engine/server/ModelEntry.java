package io.fijigen.engine.server;

import java.util.Set;

/** One model of the registry, as its config declares it (validated, paths confined to the roots). */
public record ModelEntry(
        String id, ModelKind kind, ModelLocation location, ModelDtype dtype, ModelDevice device,
        GenerationDefaults defaults) {

    /** The jobs this model can run, by its kind. */
    public Set<Capability> capabilities() {
        return kind.capabilities();
    }
}
