package io.fijigen.engine.server;

/**
 * A model as its {@link ModelLoader} built it.
 *
 * @param resources what to close to free the model's native memory: the model itself, or the manager it was loaded into
 */
record LoadedModel<T>(T model, AutoCloseable resources) {}
