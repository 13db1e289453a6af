package io.fijigen.plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.io.FileSaver;
import io.fijigen.plugin.SliceRange.Planes;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A command applied to every image of a folder that has no result yet ({@link BatchFolder}), as
 * batches on the engine: the model loads once, and each file is opened when its first plane is sent
 * and let go once its result is saved, so one image is in memory at a time, however many the folder
 * holds.
 *
 * <p>A file's planes are those the command's Process choice names (its current plane by default: the
 * one a file opens at, the first). Where the command makes layers (img2img, inpainting) each plane's
 * layer is burned into that plane ({@link Layers#apply}) and the source is saved with them; where it
 * makes a new image (ControlNet, Upscale, variants) that image is saved, a stack of the planes'
 * results when there are several. Results are TIFFs: they keep the bit depth, the calibration, the
 * Info with every plane's parameters and, as properties, the first plane's record ({@link JobRecord}).
 *
 * <p>A file that fails — it does not open, a plane's job cannot be made (Inpaint Selection on a file
 * without a selection), the engine fails a plane, its result cannot be written — is reported with its
 * name and left without a result, so the next run tries it again; the rest go on. Cancelling ends the
 * running job and the rest: the files saved stay saved, and the next run resumes after them.
 */
public final class FolderRun {
    /** The engine takes at most this many jobs in one batch (engine.proto's Batch): more go in further batches. */
    private static final int MAX_BATCH_JOBS = 10_000;

    /** A command's job on the plane an image shows now. */
    @FunctionalInterface
    public interface Jobs {
        /**
         * @param imp a file's image, showing the plane to send
         * @throws IllegalArgumentException when the image does not suit the command (no selection, too small)
         * @throws EngineException when the engine failed to prepare the job (ControlNet's edges)
         */
        PlaneJob job(EngineClient client, ImagePlus imp, long seed) throws EngineException;
    }

    /**
     * A command's options, as its dialog read them, for any image of the folder.
     *
     * @param planes which planes of each file, and how their seeds follow from the one asked for (its
     *     go-on choice aside: a failed plane fails its file, and the folder goes on)
     * @param seed the seed asked for; null or -1: a random one, drawn once for the run
     * @param channelsApart whether a composite's channels go one by one (as grey)
     * @param images the variants asked for per job, which must be 1 over several planes
     * @param jobs the command's job per plane
     */
    public record Command(PlanesRun.Options planes, Long seed, boolean channelsApart, int images, Jobs jobs) {
        /** The same command, each job recording {@code line} as the macro line that runs it again. */
        public Command recordedAs(String line) {
            return new Command(planes, seed, channelsApart, images,
                    (client, imp, planeSeed) -> jobs.job(client, imp, planeSeed).recordedAs(line));
        }
    }

    /** Follows the run: which file and plane is sent now, the running job's events, the files that failed. */
    public interface Progress extends PlanesRun.Progress {
        /** File {@code index} (from 0) of the {@code count} to do, {@code name}, is opened now. */
        default void file(int index, int count, String name) {}

        /** A file failed: {@code failure} names it and says why. The run goes on with the next one. */
        default void failed(String failure) {}
    }

    /**
     * What a run did.
     *
     * @param done files whose results this run saved
     * @param failures one line per failed file, naming it
     * @param skipped files whose results existed before, left as they are
     * @param left files not reached, the run having been cancelled or stopped
     * @param cancelled whether the run was cancelled before its end
     * @param stopped why the engine stopped the run before its end; null when it did not
     */
    public record Outcome(int done, List<String> failures, int skipped, int left, boolean cancelled, String stopped) {
        /** For the Log and the status bar: "3 done, 1 failed, 2 skipped (their results exist)", and what is left. */
        public String summary() {
            String counts = done + " done, " + failures.size() + " failed, " + skipped
                    + " skipped (their results exist)";
            if (cancelled) {
                return counts + "; cancelled, " + left + " left for the next run";
            }
            return stopped != null ? counts + "; stopped, " + left + " left for the next run" : counts;
        }
    }

    private final EngineClient client;
    private final int batchJobs;

    public FolderRun(EngineClient client) {
        this(client, MAX_BATCH_JOBS);
    }

    /** @param batchJobs the most jobs one batch takes */
    FolderRun(EngineClient client, int batchJobs) {
        this.client = client;
        this.batchJobs = batchJobs;
    }

    /**
     * Runs {@code command} on each file of {@code folder} without a result, in name order, and records
     * each one done in its CSV. Blocks until the last file is done; the client's
     * {@link EngineClient#cancel()} ends the run early.
     *
     * @throws IOException when the input folder cannot be listed
     */
    public Outcome run(BatchFolder folder, Command command, Progress progress) throws IOException {
        List<Path> pending = folder.pending();
        int skipped = folder.images().size() - pending.size();
        long base = PlanesRun.Seeds.base(command.seed());
        FileJobs files = new FileJobs(folder, pending, command, base, progress);
        boolean cancelled = false;
        String stopped = null;
        try {
            while (files.more()) {
                files.nextBatch();
                client.batch(files, files);
            }
        } catch (GenerationCancelledException e) {
            cancelled = true;
        } catch (EngineException e) {
            stopped = files.named(e.getMessage());
        } finally {
            files.letGo();
        }
        return new Outcome(files.done, List.copyOf(files.failures), skipped,
                pending.size() - files.done - files.failures.size(), cancelled, stopped);
    }

    /** The file being processed: its image, its planes, and what the results of those sent became. */
    private static final class OpenFile {
        final Path path;
        final ImagePlus imp;
        final Planes planes;
        final Inserted[] inserted;
        int sent;

        OpenFile(Path path, ImagePlus imp, Planes planes) {
            this.path = path;
            this.imp = imp;
            this.planes = planes;
            this.inserted = new Inserted[planes.size()];
        }

        String name() {
            return path.getFileName().toString();
        }
    }

    /**
     * The pending files' planes as the batches' jobs, made one at a time when the job before has
     * ended, and the batches' events, which save each file once its last plane's result is in.
     */
    private final class FileJobs implements Iterator<BatchJob>, ForwardingBatchListener {
        private final BatchFolder folder;
        private final List<Path> pending;
        private final Command command;
        private final long base;
        private final Progress progress;
        final List<String> failures = new ArrayList<>();
        int done;
        private int nextFile;
        // The file whose planes are being sent; null between files.
        private OpenFile open;
        // The job sent last, until it ends.
        private PlaneJob running;
        private BatchJob prepared;
        private int sentInBatch;

        FileJobs(BatchFolder folder, List<Path> pending, Command command, long base, Progress progress) {
            this.folder = folder;
            this.pending = pending;
            this.command = command;
            this.base = base;
            this.progress = progress;
        }

        /** Whether a file is still to do. */
        boolean more() {
            return open != null || nextFile < pending.size();
        }

        /** A new batch starts: it takes up to {@code batchJobs} jobs. */
        void nextBatch() {
            sentInBatch = 0;
        }

        @Override
        public boolean hasNext() {
            if (prepared == null && sentInBatch < batchJobs) {
                prepared = prepare();
            }
            return prepared != null;
        }

        @Override
        public BatchJob next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            BatchJob job = prepared;
            prepared = null;
            sentInBatch++;
            return job;
        }

        /** The next plane's job: the open file's, else the first of the next file that opens; null at the end. */
        private BatchJob prepare() {
            while (open != null || nextFile < pending.size()) {
                if (open == null) {
                    open = open(nextFile++);
                    continue;
                }
                int plane = open.sent;
                if (open.planes.size() > 1) {
                    progress.plane(plane, open.planes.size());
                }
                PlanesRun.show(open.imp, open.planes.positions().get(plane));
                long seed = command.planes().seeds().of(base, plane);
                try {
                    running = command.jobs().job(client, open.imp, seed);
                    open.sent++;
                    return running.request().toBuilder().setContinueOnError(true).build();
                } catch (EngineException | IllegalArgumentException e) {
                    fail(e.getMessage());
                }
            }
            return null;
        }

        /** Opens pending file {@code index} with the planes it is to send; null when it failed. */
        private OpenFile open(int index) {
            Path path = pending.get(index);
            String name = path.getFileName().toString();
            progress.file(index, pending.size(), name);
            ImagePlus imp = IJ.openImage(path.toString());
            if (imp == null) {
                report(name + ": ImageJ cannot open it");
                return null;
            }
            try {
                return new OpenFile(path, imp, command.planes().planes(imp, command.channelsApart(), command.images()));
            } catch (IllegalArgumentException e) {
                imp.flush();
                report(name + ": " + e.getMessage());
                return null;
            }
        }

        @Override
        public JobListener jobProgress() {
            return progress;
        }

        @Override
        public void result(int index, Result result) {
            int plane = open.sent - 1;
            PlanesRun.show(open.imp, open.planes.positions().get(plane));
            try {
                Inserted inserted = running.insert(result);
                if (!inserted.newImage()) {
                    Layers.apply(open.imp, inserted.layer());
                }
                open.inserted[plane] = inserted;
                if (open.sent == open.planes.size()) {
                    save(open);
                }
            } catch (EngineException | IllegalArgumentException | IOException | UncheckedIOException e) {
                fail(e.getMessage());
            }
            running = null;
        }

        @Override
        public void failed(int index, Status status) {
            running = null;
            fail(status.getDescription());
        }

        /** Saves the open file's result, records it in the CSV, and lets the file go. */
        private void save(OpenFile file) throws IOException {
            List<Inserted> results = Arrays.asList(file.inserted);
            Inserted first = results.get(0);
            ImagePlus made = made(file, results);
            Path target = folder.result(file.path);
            // Written beside the result, then moved: a run stopped while writing leaves no result that
            // the next run would take for done.
            Path part = target.resolveSibling(target.getFileName() + ".part");
            try {
                if (!new FileSaver(made).saveAsTiff(part.toString())) {
                    throw new IOException("ImageJ could not write " + part);
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            double seconds = results.stream().mapToDouble(inserted -> inserted.result().getElapsedSeconds()).sum();
            folder.done(file.path, first.seed(), seconds, parameters(first));
            done++;
            made.flush();
            letGo();
        }

        /** The file's result: the source with its layers burned in, or the new image (a stack of the planes'). */
        private ImagePlus made(OpenFile file, List<Inserted> results) {
            Inserted first = results.get(0);
            if (!first.newImage()) {
                keepRecord(file.imp, first.layer());
                return file.imp;
            }
            if (results.size() == 1) {
                return first.image();
            }
            return PlanesRun.stack(file.imp, file.planes, results, base, command.planes().seeds());
        }

        /** Fails the open file: reported with its name and why, let go without a result. */
        private void fail(String why) {
            report(open.name() + ": " + why);
            letGo();
        }

        private void report(String failure) {
            failures.add(failure);
            progress.failed(failure);
        }

        /** {@code message}, naming the file it happened on when one is open. */
        String named(String message) {
            return open == null ? message : open.name() + ": " + message;
        }

        /** Lets the open file go, if any, saved or not. */
        void letGo() {
            if (open != null) {
                open.imp.flush();
                open = null;
            }
        }
    }

    /** A burned-in layer's record, kept on the image it went into (its Info holds every layer's parameters). */
    private static void keepRecord(ImagePlus imp, ImageRoi layer) {
        for (String key : List.of(LayerInserter.PARAMETERS_PROPERTY, JobRecord.REQUEST_PROPERTY,
                JobRecord.PROVENANCE_PROPERTY, JobRecord.JOB_PROPERTY)) {
            imp.setProp(key, layer.getProperty(key));
        }
    }

    /** The parameters text of what {@code inserted} made: its layer's, or its new image's. */
    private static String parameters(Inserted inserted) {
        return inserted.newImage() ? inserted.image().getProp(LayerInserter.PARAMETERS_PROPERTY)
                : inserted.layer().getProperty(LayerInserter.PARAMETERS_PROPERTY);
    }
}
