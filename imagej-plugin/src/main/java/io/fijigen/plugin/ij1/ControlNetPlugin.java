package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import io.fijigen.plugin.ControlNetAction;
import io.fijigen.plugin.ControlNetOptions;
import io.fijigen.plugin.ControlSource;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.SecondControlUnit;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.SliceRange;
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
 * its Canny edges or another {@link ControlSource}, and by a second unit where one is chosen. The dialog's Preview Edges button (the "edges only" checkbox in macros) puts the
 * edge map on the image as a layer, to judge the thresholds.
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
        ControlNetOptions options = read.get().options().options();
        if (read.get().options().edgesOnly()) {
            action.previewEdges(imp, options.grey(), options.low(), options.high());
            imp.updateAndDraw();
            return;
        }
        Optional<SliceRange.Planes> planes = severalPlanes(imp, read.get().planes(), options.grey().channelAsGrey(),
                options.generation().images());
        if (planes.isPresent()) {
            runPlanes(client, "ControlNet", imp, planes.get(), read.get().planes(), options.generation().seed(),
                    options.generation().prompt(), rerun(COMMAND, imp, dialog.macroOptions()),
                    seed -> action.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialog)));
            return;
        }
        runAndPresent(client, "ControlNet", options.generation().prompt(), null,
                rerun(COMMAND, imp, dialog.macroOptions()), action.job(options, imp).recordedAs(macro(COMMAND, dialog)));
    }

    @Override
    public String command() {
        return COMMAND;
    }

    /** Batch Folder's fields: no Edges only, a batch saves what is generated. */
    @Override
    public void addFields(CommandDialog dialog, ServerModels models) {
        addFields(dialog, models, null, false);
    }

    @Override
    public FolderRun.Command readFields(CommandDialog dialog, ServerModels models) {
        ControlNetOptions options = read(dialog, models, false).options();
        return new FolderRun.Command(StackFields.read(dialog), options.generation().seed(),
                options.grey().channelAsGrey(), options.generation().images(),
                (client, imp, seed) -> new ControlNetAction(client).job(options.withSeed(seed), imp));
    }

    /**
     * The command's fields, with the Edges only checkbox where {@code withEdgesOnly}; other open images
     * offered as sources where there is an {@code imp}. Pairs of fields share rows: the dialog was
     * already as tall as the screen (1024 px) allows, and two columns are as wide as leaves it beside
     * the image (DialogsWindowIT).
     */
    private static void addFields(CommandDialog dialog, ServerModels models, ImagePlus imp, boolean withEdgesOnly) {
        List<String> controlNets = models.of(ModelKind.MODEL_KIND_CONTROLNET);
        if (controlNets.isEmpty()) {
            throw new IllegalStateException("the server has no ControlNet model");
        }
        GenerationFields.add(dialog, models, models.with(Capability.CAPABILITY_CONTROLNET));
        dialog.addChoice("ControlNet", controlNets, controlNets.get(0));
        dialog.toSameRow();
        dialog.addChoice("Source", ControlSourceChoice.items(imp, false), ControlSourceChoice.CANNY);
        dialog.addNumber("Low threshold", 100, 0);
        dialog.toSameRow();
        dialog.addNumber("High threshold", 200, 0);
        dialog.addNumber("Control scale", 1.0, 2);
        dialog.toSameRow();
        dialog.addNumber("Line_width", LineScribble.DEFAULT_WIDTH, 0);
        dialog.addCheckbox("Guess mode", false);
        dialog.toSameRow();
        dialog.addChoice("Palette", List.of("ade20k", "distinct"), "ade20k");
        if (withEdgesOnly) {
            dialog.addCheckbox("Edges only (add the edge map as a layer, generate nothing)", false);
        }
        List<String> secondNets = new ArrayList<>(List.of(ControlSourceChoice.NONE));
        secondNets.addAll(controlNets);
        dialog.addChoice("ControlNet_2", secondNets, ControlSourceChoice.NONE);
        dialog.toSameRow();
        dialog.addChoice("Source_2", ControlSourceChoice.items(imp, true), ControlSourceChoice.NONE);
        dialog.addNumber("Scale_2", 1.0, 2);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    /** What the dialog asks for: a generation, or the edge map alone. */
    private record Choices(ControlNetOptions options, boolean edgesOnly) {}

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
        int lineWidth = (int) dialog.nextNumber();
        boolean guessMode = dialog.nextBoolean();
        LabelPalette palette = LabelPalette.named(dialog.nextChoice());
        ControlNetOptions options = new ControlNetOptions(generation, controlNet, low, high, scale, guessMode, null);
        boolean edgesOnly = withEdgesOnly && dialog.nextBoolean();
        SecondControlUnit second = second(dialog.nextChoice(), dialog.nextChoice(), dialog.nextNumber());
        Choices choices = new Choices(options.withSources(source, second, lineWidth, palette)
                .withGrey(GreyFields.read(dialog)), edgesOnly);
        if (!choices.edgesOnly()) {
            models.checkControlNet(generation.modelId(), controlNet);
            if (second != null) {
                models.checkControlNet(generation.modelId(), second.controlNetId());
            }
        }
        return choices;
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
            // line width, scale 2, lower and upper percentile; choices: model, scheduler, ControlNet,
            // source, palette, ControlNet 2, source 2, normalisation, composite.
            String low = fields.get(5).getText().strip();
            String high = fields.get(6).getText().strip();
            String lower = fields.get(10).getText().strip();
            String upper = fields.get(11).getText().strip();
            String rule = choices.get(7).getSelectedItem();
            String composite = choices.get(8).getSelectedItem();
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
