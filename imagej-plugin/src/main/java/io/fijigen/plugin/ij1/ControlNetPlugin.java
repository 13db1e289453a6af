package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import io.fijigen.plugin.ControlNetAction;
import io.fijigen.plugin.ControlNetOptions;
import io.fijigen.plugin.ControlSource;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.SecondControlUnit;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.proto.client.LabelPalette;
import io.fijigen.proto.client.LineScribble;
import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ModelKind;
import java.awt.Choice;
import java.awt.TextField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › ControlNet from Image...: a new image of the active image's size, guided by
 * its Canny edges or another {@link ControlSource}, and by a second unit where one is chosen (in a
 * second dialog, with the other options that have working defaults). The dialog's Preview Edges
 * button (the "edges only" checkbox in macros) puts the edge map on the image as a layer, to judge
 * the thresholds.
 */
public final class ControlNetPlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "ControlNet from Image...";

    public ControlNetPlugin() {
        super("ControlNet");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("ControlNet from Image");
        ServerModels models = new ServerModels(client.listModels());
        ControlNetAction action = new ControlNetAction(client);
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models, imp, true);
        if (dialog.interactive()) {
            addPreviewButton(dialog.generic(), action, imp);
            dialog.besideImage(imp);
        }
        Optional<Planned<Choices>> read = dialog.show(shown -> new Planned<>(read(shown, models, true),
                StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        if (read.get().options().edgesOnly()) {
            ControlNetOptions options = read.get().options().options();
            action.previewEdges(imp, options.grey(), options.low(), options.high());
            imp.updateAndDraw();
            return;
        }
        List<CommandDialog> shown = new ArrayList<>(List.of(dialog));
        Optional<ControlNetOptions> more = withMore(read.get().options(), dialog, COMMAND, models, imp, shown);
        if (more.isEmpty()) {
            return;
        }
        ControlNetOptions options = more.get();
        CommandDialog[] dialogs = shown.toArray(CommandDialog[]::new);
        Runnable rerun = rerun(COMMAND, imp, macroOptions(dialogs));
        runOnPlanes(client, "ControlNet", imp, read.get().planes(), new ImageJobs(options.generation().prompt(),
                options.generation().seed(), options.grey().channelAsGrey(), options.generation().images(),
                () -> action.job(options, imp).recordedAs(macro(COMMAND, dialogs)),
                seed -> action.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialogs))), null, rerun);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    /** Batch Folder's fields: no Edges only, a batch saves what is generated; then the more options where asked. */
    @Override
    public Optional<FolderRun.Command> ask(String title, ServerModels models, List<CommandDialog> shown) {
        CommandDialog dialog = new CommandDialog(title);
        addFields(dialog, models, null, false);
        shown.add(dialog);
        Optional<Planned<Choices>> read = dialog.show(fields -> new Planned<>(read(fields, models, false),
                StackFields.read(fields)));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PlanesRun.Options planes = read.get().planes();
        return withMore(read.get().options(), dialog, title, models, null, shown).map(options -> new FolderRun.Command(
                planes, options.generation().seed(), options.grey().channelAsGrey(), options.generation().images(),
                (client, imp, seed) -> new ControlNetAction(client).job(options.withSeed(seed), imp)));
    }

    /**
     * The command's fields, with the Edges only checkbox where {@code withEdgesOnly}; other open images
     * offered as sources where there is an {@code imp}. The dialog was already as tall as the screen
     * (1024 px) allows and must stay narrow enough to open beside the image (DialogsWindowIT), so
     * what has a working default (guess mode, line width, palette, a second unit) waits in a second
     * dialog, {@link #addMoreFields}, opened by the More options checkbox.
     */
    private static void addFields(CommandDialog dialog, ServerModels models, ImagePlus imp, boolean withEdgesOnly) {
        List<String> controlNets = controlNets(models);
        GenerationFields.add(dialog, models, models.with(Capability.CAPABILITY_CONTROLNET));
        dialog.addChoice("ControlNet", controlNets, controlNets.get(0));
        dialog.addChoice("Source", ControlSourceChoice.items(imp, false), ControlSourceChoice.CANNY);
        dialog.addNumber("Low threshold", 100, 0);
        dialog.addNumber("High threshold", 200, 0);
        dialog.addNumber("Control scale", 1.0, 2);
        if (withEdgesOnly) {
            dialog.addCheckbox("Edges only (add the edge map as a layer, generate nothing)", false);
        }
        dialog.addCheckbox("More options... (guess mode, line width, palette, a second unit)", false);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    private static List<String> controlNets(ServerModels models) {
        List<String> controlNets = models.of(ModelKind.MODEL_KIND_CONTROLNET);
        if (controlNets.isEmpty()) {
            throw new IllegalStateException("the server has no ControlNet model");
        }
        return controlNets;
    }

    /** The second dialog's fields, at the values the first dialog's options hold without it. */
    private static void addMoreFields(CommandDialog dialog, ServerModels models, ImagePlus imp) {
        dialog.addCheckbox("Guess mode", false);
        dialog.addNumber("Line_width", LineScribble.DEFAULT_WIDTH, 0);
        dialog.addChoice("Palette", List.of("ade20k", "distinct"), "ade20k");
        List<String> secondNets = new ArrayList<>(List.of(ControlSourceChoice.NONE));
        secondNets.addAll(controlNets(models));
        dialog.addChoice("ControlNet_2", secondNets, ControlSourceChoice.NONE);
        dialog.addChoice("Source_2", ControlSourceChoice.items(imp, true), ControlSourceChoice.NONE);
        dialog.addNumber("Scale_2", 1.0, 2);
    }

    /** What the first dialog asks for: a generation, or the edge map alone; and whether to ask more. */
    private record Choices(ControlNetOptions options, boolean edgesOnly, boolean more) {}

    /**
     * The fields {@code addFields(dialog, models, withEdgesOnly)} added, read. A ControlNet made for another
     * family than the chosen model's is refused here, before anything is sent.
     */
    private static Choices read(CommandDialog dialog, ServerModels models, boolean withEdgesOnly) {
        Generation generation = GenerationFields.read(dialog, models);
        String controlNet = dialog.nextChoice();
        ControlSource source = ControlSourceChoice.read("source", dialog.nextChoice());
        double low = dialog.nextNumber();
        double high = dialog.nextNumber();
        double scale = dialog.nextNumber();
        ControlNetOptions options = new ControlNetOptions(generation, controlNet, low, high, scale, false, null);
        boolean edgesOnly = withEdgesOnly && dialog.nextBoolean();
        boolean more = dialog.nextBoolean();
        Choices choices = new Choices(options.withSources(source, null, LineScribble.DEFAULT_WIDTH, null)
                .withGrey(GreyFields.read(dialog)), edgesOnly, more);
        if (!choices.edgesOnly()) {
            models.checkControlNet(generation.modelId(), controlNet);
        }
        return choices;
    }

    /**
     * {@code choices}' options with the more options' dialog's, where the first dialog's checkbox asks
     * for it or a macro runs the command (a macro's options fill every dialog, so its keys
     * {@code line_width=}, {@code controlnet_2=}… keep working in one line); that dialog is then added
     * to {@code shown}, for the macro line.
     *
     * @return empty when the user cancelled the second dialog
     */
    private static Optional<ControlNetOptions> withMore(Choices choices, CommandDialog first, String title,
            ServerModels models, ImagePlus imp, List<CommandDialog> shown) {
        if (!choices.more() && first.interactive()) {
            return Optional.of(choices.options());
        }
        CommandDialog dialog = new CommandDialog(title + " (more options)");
        addMoreFields(dialog, models, imp);
        if (dialog.interactive() && imp != null) {
            dialog.besideImage(imp);
        }
        shown.add(dialog);
        return dialog.show(more -> readMore(more, choices.options(), models));
    }

    /** {@code options} with the fields {@link #addMoreFields} added, read; the second ControlNet's family checked. */
    private static ControlNetOptions readMore(CommandDialog dialog, ControlNetOptions options, ServerModels models) {
        boolean guessMode = dialog.nextBoolean();
        int lineWidth = (int) dialog.nextNumber();
        LabelPalette palette = LabelPalette.named(dialog.nextChoice());
        SecondControlUnit second = second(dialog.nextChoice(), dialog.nextChoice(), dialog.nextNumber());
        if (second != null) {
            models.checkControlNet(options.generation().modelId(), second.controlNetId());
        }
        return new ControlNetOptions(options.generation(), options.controlNetId(), options.low(), options.high(),
                options.scale(), guessMode, options.grey(), options.source(), second, lineWidth, palette);
    }

    /** The second unit, null where its ControlNet is none. */
    private static SecondControlUnit second(String controlNet, String sourceItem, double scale) {
        if (controlNet.equals(ControlSourceChoice.NONE)) {
            return null;
        }
        ControlSource source = ControlSourceChoice.read("source_2", sourceItem);
        if (source == null) {
            throw new IllegalArgumentException("source_2: choose what the second ControlNet is guided by");
        }
        return new SecondControlUnit(controlNet, source, scale);
    }

    /** Preview Edges: the thresholds and the grey options as the dialog holds them now, off the event thread. */
    private static void addPreviewButton(GenericDialog dialog, ControlNetAction action, ImagePlus imp) {
        dialog.addButton("Preview Edges", event -> {
            @SuppressWarnings("unchecked")
            List<TextField> fields = (List<TextField>) (List<?>) dialog.getNumericFields();
            @SuppressWarnings("unchecked")
            List<Choice> choices = (List<Choice>) (List<?>) dialog.getChoices();
            // Numeric fields in order: steps, guidance, seed, images, preview every, low, high, scale,
            // lower and upper percentile; choices: model, scheduler, ControlNet, source, normalisation,
            // composite.
            String low = fields.get(5).getText().strip();
            String high = fields.get(6).getText().strip();
            String lower = fields.get(8).getText().strip();
            String upper = fields.get(9).getText().strip();
            String rule = choices.get(4).getSelectedItem();
            String composite = choices.get(5).getSelectedItem();
            new Thread(() -> {
                try {
                    GreyOptions grey = GreyOptions.of(rule, Double.parseDouble(lower), Double.parseDouble(upper),
                            composite);
                    action.previewEdges(imp, grey, Double.parseDouble(low), Double.parseDouble(high));
                    imp.updateAndDraw();
                } catch (EngineException | IllegalArgumentException e) {
                    report("ControlNet", e.getMessage());
                }
            }, "fijigen edge preview").start();
        });
    }
}
