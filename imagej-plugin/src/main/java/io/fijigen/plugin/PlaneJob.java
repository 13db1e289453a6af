package io.fijigen.plugin;

import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Result;

/**
 * A command's job on the plane an image shows when the job is made (its channel, slice and frame):
 * the request it sends, and what becomes of its result — a layer at that plane, or a new image. The
 * same whether it runs alone or as one plane of a batch over a stack ({@link PlanesRun}). What it
 * inserts carries its {@link JobRecord}.
 *
 * @param request the Generate or Upscale request, as a batch takes it
 * @param insertion what the job's result becomes
 * @param macro the macro line that runs the job again, recorded with its result; null: none
 */
public record PlaneJob(BatchJob request, Insertion insertion, String macro) {

    public PlaneJob(BatchJob request, Insertion insertion) {
        this(request, insertion, null);
    }

    /** Turns a job's result into a layer or a new image. */
    @FunctionalInterface
    public interface Insertion {
        /** @throws EngineException when the result is not what the engine should have sent */
        Inserted insert(Result result) throws EngineException;
    }

    /** The same job, recording {@code line} as the macro line that runs it again. */
    public PlaneJob recordedAs(String line) {
        return new PlaneJob(request, insertion, line);
    }

    /** Inserts {@code result}, the image at the plane it was made at, with its record. */
    public Inserted insert(Result result) throws EngineException {
        JobRecord record = new JobRecord(request, result);
        Inserted inserted = insertion.insert(record.withLines(macro));
        record.writeOn(inserted);
        return inserted;
    }

    /** Runs it alone, blocking until it ends, and inserts its result. */
    public Inserted run(EngineClient client, JobListener listener) throws EngineException {
        Result result = request.hasUpscale()
                ? client.upscale(request.getUpscale(), listener)
                : client.generate(request.getGenerate(), listener);
        return insert(result);
    }
}
