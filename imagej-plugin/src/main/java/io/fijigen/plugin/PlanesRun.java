package io.fijigen.plugin;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.fijigen.plugin.SliceRange.Planes;
import io.fijigen.plugin.SliceRange.Position;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.layers.GeneratedPixels;
import io.fijigen.plugin.ui.Labelled;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A command over several planes of an image, as one batch on the engine: the model loads once, the
 * planes' jobs run in ImageJ's stack order, and each plane is read and sent only when the job
 * before it has ended, so a long stack is never in memory twice.
 *
 * <p>Where the command makes layers (img2img, inpainting) each plane's result becomes a layer at
 * that plane's position on the image; where it makes a new image (ControlNet, Upscale) the results
 * become one new stack, or hyperstack, of the planes' dimensions, each slice labelled with its seed
 * (a composite's channels processed apart come back as a composite with their LUTs). Cancelling
 * ends the running plane's job and the rest; what was done stays. A failed plane stops the batch,
 * or is reported and skipped when the user asked to go on; in a new image a plane without a result
 * is a blank slice that says why.
 */
public final class PlanesRun {
    /** How each plane's seed follows from the one asked for (a random one is drawn once for all). */
    public enum Seeds implements Labelled {
        SAME("same for all"),
        INCREMENT("seed + index");

        private final String label;

        Seeds(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException for a label that is none of the rules' */
        public static Seeds of(String label) {
            return Labelled.of(Seeds.class, "seeds", label);
        }

        /** The seed of the {@code index}-th plane (from 0) when {@code base} was asked for. */
        public long of(long base, int index) {
            return this == SAME ? base : base + index;
        }

        /** The seed a run's planes start from: the one asked for, else one drawn for the whole run. */
        static long base(Long asked) {
            return asked != null && asked >= 0 ? asked : ThreadLocalRandom.current().nextLong(1L << 32);
        }
    }

    /**
     * What the dialog's stack fields ask for.
     *
     * @param range which planes
     * @param seeds how their seeds follow from the one asked for
     * @param goOn whether a failed plane is skipped (true) or stops the rest (false)
     */
    public record Options(SliceRange range, Seeds seeds, boolean goOn) {
        /** The current plane alone: what a command does without a stack. */
        public static final Options CURRENT = new Options(SliceRange.CURRENT, Seeds.SAME, false);

        public Options {
            if (range == null || seeds == null) {
                throw new IllegalArgumentException("a range and a seed rule are required");
            }
        }

        /**
         * The planes of {@code imp} these options choose.
         *
         * @param channelsApart whether a composite's channels go one by one (as grey)
         * @param images the variants asked for per job, which must be 1 over several planes
         * @throws IllegalArgumentException for a range outside the image, or variants over planes
         */
        public Planes planes(ImagePlus imp, boolean channelsApart, int images) {
            Planes chosen = range.planes(imp, channelsApart && imp.isComposite());
            if (chosen.size() > 1 && images > 1) {
                throw new IllegalArgumentException("Images: " + images + " variants are made of one plane: set Images "
                        + "to 1 to process " + chosen.size() + " planes");
            }
            return chosen;
        }
    }

    /** A command's job on the plane the image shows now, with the given seed. */
    @FunctionalInterface
    public interface Jobs {
        PlaneJob job(long seed) throws EngineException;
    }

    /** Follows the batch: which plane runs now, and the running plane's job events. */
    public interface Progress extends JobListener {
        /** Plane {@code index} (from 0) of {@code count} is sent now. */
        default void plane(int index, int count) {}
    }

    /**
     * What a run made.
     *
     * @param inserted per plane, in order, what its result became; null where it has none
     * @param image the new image of the planes' results; null where the command makes layers, or no
     *     plane had a result
     * @param failures what went wrong, one line per failed plane, naming it
     * @param cancelled whether the run was cancelled before its end
     */
    public record Outcome(List<Inserted> inserted, ImagePlus image, List<String> failures, boolean cancelled) {
        /** How many planes have a result. */
        public int done() {
            return (int) inserted.stream().filter(Objects::nonNull).count();
        }
    }

    private final EngineClient client;

    public PlanesRun(EngineClient client) {
        this.client = client;
    }

    /**
     * Runs {@code jobs} on each of {@code planes} of {@code imp}. Blocks until the batch ends; the
     * client's {@link EngineClient#cancel()} ends it early. The image shows each plane while its job
     * is made and its result inserted, and the plane it showed before at the end.
     *
     * @param seed the seed asked for; null or -1: a random one, drawn once
     * @throws EngineException when making a plane's job failed (its Canny edges, say); planes done
     *     before keep their results
     */
    public Outcome run(ImagePlus imp, Planes planes, Long seed, Options options, Jobs jobs, Progress progress)
            throws EngineException {
        long base = Seeds.base(seed);
        int count = planes.size();
        PlaneJob[] made = new PlaneJob[count];
        Inserted[] inserted = new Inserted[count];
        List<String> failures = new ArrayList<>();
        int shown = imp.getCurrentSlice();
        boolean cancelled = false;
        Iterator<BatchJob> requests = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public BatchJob next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                int index = next++;
                progress.plane(index, count);
                show(imp, planes.positions().get(index));
                try {
                    made[index] = jobs.job(options.seeds().of(base, index));
                } catch (EngineException e) {
                    throw new PlaneFailure(e);
                }
                return made[index].request().toBuilder().setContinueOnError(options.goOn()).build();
            }
        };
        try {
            client.batch(requests, new ForwardingBatchListener() {
                @Override
                public JobListener jobProgress() {
                    return progress;
                }

                @Override
                public void result(int index, Result result) {
                    show(imp, planes.positions().get(index));
                    try {
                        inserted[index] = made[index].insert(result);
                    } catch (EngineException e) {
                        throw new PlaneFailure(e);
                    }
                    made[index] = null;
                }

                @Override
                public void failed(int index, Status status) {
                    failures.add(name(planes, index) + ": " + status.getDescription());
                    made[index] = null;
                }
            });
        } catch (GenerationCancelledException e) {
            cancelled = true;
        } catch (EngineException e) {
            failures.add(batchFailure(planes, e));
        } catch (PlaneFailure e) {
            failures.add(e.getCause().getMessage());
        } finally {
            imp.setSlice(shown);
        }
        List<Inserted> results = Arrays.asList(inserted);
        return new Outcome(results, stack(imp, planes, results, base, options.seeds()), List.copyOf(failures),
                cancelled);
    }

    /** A plane's name for the user: its number in the run, and its place in the image. */
    static String name(Planes planes, int index) {
        Position p = planes.positions().get(index);
        return "plane " + (index + 1) + " of " + planes.size() + " (channel " + p.channel() + ", slice " + p.slice()
                + ", frame " + p.frame() + ")";
    }

    /** The engine's "job K: …" of a batch that stopped, said of the plane. */
    private static String batchFailure(Planes planes, EngineException stopped) {
        int job = stopped.job();
        if (job < 1 || job > planes.size()) {
            return stopped.getMessage();
        }
        return name(planes, job - 1) + ": " + stopped.getMessage().substring(("job " + job + ": ").length());
    }

    static void show(ImagePlus imp, Position p) {
        imp.setPosition(p.channel(), p.slice(), p.frame());
    }

    /** The new images of the planes' results as one stack of the planes' dimensions; null for layers. */
    static ImagePlus stack(ImagePlus imp, Planes planes, List<Inserted> results, long base, Seeds seeds) {
        Inserted first = results.stream().filter(Objects::nonNull).findFirst().orElse(null);
        if (first == null || !first.newImage()) {
            return null;
        }
        ImageProcessor model = first.image().getProcessor();
        ImageStack stack = new ImageStack(model.getWidth(), model.getHeight());
        for (int i = 0; i < results.size(); i++) {
            Inserted result = results.get(i);
            if (result != null) {
                stack.addSlice("seed " + result.seed(), result.image().getProcessor());
            } else {
                long seed = seeds.of(base, i);
                stack.addSlice("no result (seed " + seed + ")", model.createProcessor(model.getWidth(), model.getHeight()));
            }
        }
        ImagePlus made = first.image().createImagePlus();
        made.setTitle(first.image().getTitle());
        made.setStack(stack, planes.channels(), planes.slices(), planes.frames());
        made.setCalibration(first.image().getCalibration());
        made.setProperties(first.image().getPropertiesAsArray());
        made.setProperty("Info", first.image().getProperty("Info"));
        made.setDisplayRange(model.getMin(), model.getMax());
        GeneratedPixels.all(made);
        if (planes.channels() > 1 && imp.isComposite()) {
            CompositeImage composite = new CompositeImage(made, IJ.COMPOSITE);
            int firstChannel = planes.positions().get(0).channel();
            for (int c = 0; c < planes.channels(); c++) {
                composite.setChannelLut(((CompositeImage) imp).getChannelLut(firstChannel + c), c + 1);
            }
            return composite;
        }
        if (made.getNDimensions() > 3) {
            made.setOpenAsHyperStack(true);
        }
        return made;
    }

    /** A plane's job could not be made or its result not inserted: the batch stops there. */
    private static final class PlaneFailure extends RuntimeException {
        PlaneFailure(EngineException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
