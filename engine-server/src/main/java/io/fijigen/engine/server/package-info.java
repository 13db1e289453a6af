/**
 * The engine as a service: requests off the wire into jobs, the models they run on, and the gRPC
 * server around them. A local run of the command line uses the same classes in its own process,
 * without the gRPC parts.
 *
 * <p>One request, from message to result:
 * <ul>
 *   <li>{@link io.fijigen.engine.server.RequestTranslator}: the one mapping from {@code
 *       GenerateRequest}/{@code UpscaleRequest} fields to the pipelines' requests. It applies the
 *       defaults and ranges of {@code pipeline.RequestField} (a registry entry's own defaults first),
 *       checks everything that needs no weights, and names each refused field as the .proto does.
 *   <li>{@link io.fijigen.engine.server.EngineJobs}: the job once admitted: lease its models, run its
 *       pipeline, make its {@code Result} (PNGs with their parameters, and values with {@code
 *       float_output}).
 *   <li>{@link io.fijigen.engine.server.EngineService}: the gRPC service: translate, queue ({@code
 *       DeviceQueues}, one {@code JobQueue} per device), run, stream {@code JobEvent}s ({@code
 *       EventStream}, to {@code JobEvents}: a job's own call, or its place in a {@code JobBatch}, a
 *       Batch call's jobs one after another); every failure becomes a status in one place, {@code
 *       Statuses}.
 * </ul>
 *
 * <p>Models: {@link io.fijigen.engine.server.RegistryConfig} reads a registry file ({@code
 * ModelEntryReader} one entry, refusing unknown keys by name); {@link
 * io.fijigen.engine.server.ModelCatalogue} says what each id is and where its files are, loading
 * nothing; {@link io.fijigen.engine.server.ResidentModels} loads them on first use, least recently
 * used out first, never one a job has leased, each kind by its typed {@code ModelLoader}. {@link
 * io.fijigen.engine.server.LocalRegistry} is the registry a command line makes of the models it names.
 * {@code WeightHashes} keeps the SHA-256 of every weight file the catalogue lists, cached beside the
 * registry ({@code WeightHashFile}); {@code ModelWeights} puts them on the wire, in ListModels and
 * in each result's provenance ({@code EngineJobs}).
 *
 * <p>Around them: {@code EngineServer} (Netty, TLS, the bearer token, health, reflection, draining),
 * {@code ConnectionLimits} (what any client can hold open: {@code OpenConnections}, {@code
 * HealthWatchLimit}), {@code MalformedMessages}, {@code MetricsEndpoint}, {@code ServerSettings}.
 *
 * <p>To add a request field: the field and its comment in {@code engine.proto}; its range and
 * default in {@code RequestField} if it has them (the test then holds the comment to them); its
 * mapping in {@code RequestTranslator} only; the command line's option in {@code cli.ProtoRequests}.
 * To add a model kind: a {@code ModelKind} constant (its YAML name, its capabilities, its {@code
 * ModelLoader} if it loads on its own) and the proto's {@code ModelKind}. To add an RPC: the
 * service method in {@code EngineService}, thin over a translator method and {@code EngineJobs};
 * jobs go through the queue, errors through {@code Statuses}.
 */
package io.fijigen.engine.server;
