package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.SliceRange;
import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.Settings;
import io.fijigen.plugin.engine.EngineChoice;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Normalisation;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;

/**
 * What the SciJava twins of the diffusion commands share: the generation settings as parameters,
 * the connection (ImageJ's saved Server Settings unless {@code host}/{@code port} are given), and
 * failures as exceptions with the engine's readable message.
 *
 * <p>These commands have no menu entries (the ImageJ1 commands have them): they are for scripts,
 * e.g. from Jython in Fiji: {@code command.run(GenerateCommand, True, "model", "sd15", "prompt",
 * "a cell").get().getOutput("result")}.
 *
 * <p>No parameter persists: a script that leaves one out gets its default, not the value of the
 * last run (SciJava's default would make a script's result depend on what ran before it).
 */
abstract class DiffusionCommand implements Command {
    @Parameter(persist = false, required = false, description = "engine host; empty: the saved Server Settings")
    String host = "";
    @Parameter(persist = false, required = false, description = "engine port; 0: the saved Server Settings")
    int port;
    @Parameter(persist = false, description = "the engine's model id")
    String model;
    @Parameter(persist = false, required = false)
    String prompt = "";
    @Parameter(persist = false, required = false)
    String negativePrompt = "";
    @Parameter(persist = false, required = false, description = "0: the model's default")
    int steps;
    /**
     * Negative for the engine's default, as the seed's -1 is random: a {@code Double} left null would not do, since
     * SciJava sets a number parameter left out of a script to 0 (its DefaultValuePreprocessor), and 0 is a real
     * guidance (classifier-free guidance off).
     */
    @Parameter(persist = false, required = false,
            description = "-1: the engine's default (the model's default_guidance, else 7.5; 9 for the upscaler)")
    double guidance = -1;
    @Parameter(persist = false, required = false, description = "-1: random")
    long seed = -1;
    @Parameter(persist = false, required = false, description = "empty: the model's own")
    String scheduler = "";
    @Parameter(persist = false, required = false, min = "1", max = "16")
    int images = 1;
    @Parameter(persist = false, required = false, choices = {"display range", "percentiles"},
            description = "how a grey image's values map to the engine's 0..1 and back")
    String normalisation = Normalisation.Rule.DISPLAY_RANGE.label();
    @Parameter(persist = false, required = false, description = "with percentiles: the one that maps to 0, in %")
    double lowerPercentile = Normalisation.DEFAULT_LOWER;
    @Parameter(persist = false, required = false, description = "with percentiles: the one that maps to 1, in %")
    double upperPercentile = Normalisation.DEFAULT_UPPER;
    @Parameter(persist = false, required = false, choices = {GreyOptions.RGB_RENDERING, GreyOptions.CHANNEL_AS_GREY},
            description = "composite images: their RGB rendering, or the current channel as a grey image")
    String composite = GreyOptions.RGB_RENDERING;
    @Parameter(persist = false, required = false, choices = {"current slice", "all slices", "range"},
            description = "which planes of the image: one, all, or the channels, slices and frames below")
    String process = SliceRange.Mode.CURRENT.label();
    @Parameter(persist = false, required = false, description = "with range: the channels, e.g. 1-2; empty: all")
    String channels = "";
    @Parameter(persist = false, required = false, description = "with range: the slices (Z), e.g. 3-5; empty: all")
    String slices = "";
    @Parameter(persist = false, required = false, description = "with range: the frames (T); empty: all")
    String frames = "";
    @Parameter(persist = false, required = false, choices = {"same for all", "seed + index"},
            description = "the planes' seeds")
    String seeds = PlanesRun.Seeds.SAME.label();
    @Parameter(persist = false, required = false, description = "go on past a plane that failed (false: stop there)")
    boolean skipFailed;
    @Parameter(persist = false, required = false,
            description = "with several images: their per-pixel mean and standard deviation")
    boolean statistics;
    @Parameter(type = ItemIO.OUTPUT, required = false, description = "with statistics: the statistics stack")
    ImagePlus statisticsImage;

    /** The guidance to send; null: the engine's default. */
    Double guidance() {
        return guidance < 0 ? null : guidance;
    }

    Generation generation() {
        return new Generation(model, prompt, negativePrompt, steps, guidance(), seed, scheduler, images, 0, statistics);
    }

    /** One plane's run of the command, as its action runs it. */
    interface Single {
        Inserted run() throws EngineException;
    }

    /**
     * Runs the command on {@code image}'s current plane ({@code single}), or over the planes the
     * parameters choose as one batch ({@code jobs}); what it made: the new image, or the image
     * holding the new layers.
     *
     * @param channelsApart whether a composite's channels go one by one (as grey)
     * @throws EngineException when a plane failed and the batch stopped, or the run was cancelled
     */
    ImagePlus onPlanes(EngineClient client, ImagePlus image, boolean channelsApart, Single single,
            PlanesRun.Jobs jobs) throws EngineException {
        PlanesRun.Options options = new PlanesRun.Options(new SliceRange(SliceRange.Mode.of(process), channels,
                slices, frames), PlanesRun.Seeds.of(seeds), skipFailed);
        SliceRange.Planes planes = options.planes(image, channelsApart, images);
        if (planes.size() < 2) {
            Inserted inserted = single.run();
            statisticsImage = inserted.statistics();
            return inserted.image();
        }
        PlanesRun.Outcome outcome = new PlanesRun(client).run(image, planes, seed, options, jobs,
                new PlanesRun.Progress() {});
        if (outcome.cancelled() || !outcome.failures().isEmpty() && !skipFailed) {
            throw new EngineException(io.grpc.Status.Code.ABORTED, outcome.done() + " of " + planes.size()
                    + " planes done; " + String.join("; ", outcome.failures()), null);
        }
        return outcome.image() != null ? outcome.image() : image;
    }

    GreyOptions grey() {
        return GreyOptions.of(normalisation, lowerPercentile, upperPercentile, composite);
    }

    /** The job, with a client connected as the parameters say. */
    interface Job {
        void run(EngineClient client) throws EngineException;
    }

    /** Runs {@code job}; an engine failure becomes an IllegalStateException carrying its message. */
    void connected(Job job) {
        Connection saved = Settings.load();
        Connection connection = host.isBlank() && port == 0 ? EngineChoice.connection()
                : new Connection(host.isBlank() ? saved.host() : host, port == 0 ? saved.port() : port,
                        saved.token(), saved.tls(), saved.timeoutSeconds());
        try (EngineClient client = new EngineClient(connection)) {
            job.run(client);
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
