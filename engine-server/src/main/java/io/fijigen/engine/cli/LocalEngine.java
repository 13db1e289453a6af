package io.fijigen.engine.cli;

import io.fijigen.engine.server.EngineJobs;
import io.fijigen.engine.server.RequestTranslator;
import io.fijigen.engine.server.ResidentModels;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;

/**
 * The engine in this process: a request goes through the server's translator and job code, on the
 * run's own registry, without a queue or a connection; progress goes to a bar on the terminal.
 */
final class LocalEngine implements CommandEngine {
    private final ResidentModels models;
    private final ModelIds ids;
    private final RequestTranslator translator;
    private final EngineJobs jobs;
    private final ProgressBar progress;

    LocalEngine(ResidentModels models, ModelIds ids, ProgressBar progress) {
        this.models = models;
        this.ids = ids;
        this.translator = new RequestTranslator(models.catalogue());
        this.jobs = new EngineJobs(models);
        this.progress = progress;
    }

    /** The id the run's own registry gave the folder or file an option named. */
    @Override
    public String of(String given) {
        return ids.of(given);
    }

    @Override
    public Result generate(GenerateRequest request) throws IOException {
        return jobs.generate(translator.generation(request), progress);
    }

    @Override
    public Result upscale(UpscaleRequest request) throws IOException {
        return jobs.upscale(translator.upscaling(request), progress);
    }

    /** Unloads the models. */
    @Override
    public void close() {
        try (progress) {
            models.close();
        }
    }
}
