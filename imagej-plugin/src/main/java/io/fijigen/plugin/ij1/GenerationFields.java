package io.fijigen.plugin.ij1;

import io.fijigen.plugin.Generation;
import java.awt.Choice;
import java.awt.Label;
import java.awt.TextField;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The fields every diffusion dialog shares, ordered by how often they are changed: prompt,
 * negative prompt, model, steps, guidance, seed (and a new random one each run), scheduler, images,
 * preview every, statistics. A user at the dialog sees the chosen model's real step count (and size, where the
 * dialog asks for one); a macro that leaves them out gets the model's defaults, whichever model it
 * names.
 */
final class GenerationFields {
    /** The macro key of "Random seed each run". */
    static final String RANDOM_SEED = "Random seed each run";

    private GenerationFields() {}

    static void add(CommandDialog dialog, ServerModels models, List<String> ids) {
        addPromptToSeed(dialog, models, ids, 7.5);
        dialog.addCheckbox(RANDOM_SEED, false);
        dialog.addChoice("Scheduler", models.schedulers(), ServerModels.DEFAULT_SCHEDULER);
        dialog.addNumber("Images", 1, 0);
        dialog.addNumber("Preview every (steps, 0: none)", 0, 0);
        dialog.addCheckbox("Statistics (per-pixel mean and standard deviation of the images)", false);
    }

    /** The engine has no model for {@code what}: a managed engine starts so, and the user's next step is Models.... */
    static IllegalStateException noModel(String what) {
        return new IllegalStateException("the engine has no model for " + what + " yet: add one with Plugins ›"
                + " fijigen › Models... (Add from hub, or Add local)");
    }

    /**
     * The fields every command that runs a model starts with: prompt, negative prompt, model,
     * steps, guidance (at {@code guidance}) and seed.
     */
    static void addPromptToSeed(CommandDialog dialog, ServerModels models, List<String> ids, double guidance) {
        if (ids.isEmpty()) {
            throw noModel("this command");
        }
        dialog.addText("Prompt", "", true);
        dialog.addText("Negative prompt", "", false);
        dialog.addChoice("Model", ids, ids.get(0));
        Label defaults = dialog.interactive() ? dialog.addNote(" ") : null;
        dialog.addNumber("Steps", dialog.interactive() ? models.defaultSteps(ids.get(0)) : 0, 0);
        if (dialog.interactive()) {
            followModelDefaults(dialog, models, defaults);
        }
        dialog.addNumber("Guidance", guidance, 1);
        dialog.addNumber("Seed (-1: random)", -1, 0);
    }

    /** The fields {@link #addPromptToSeed} added, as read: each command checks them as it builds its options. */
    record PromptToSeed(String prompt, String negativePrompt, String model, int steps, double guidance, long seed) {
        static PromptToSeed read(CommandDialog dialog) {
            return new PromptToSeed(dialog.nextString(), dialog.nextString(), dialog.nextChoice(), dialog.nextInt(),
                    dialog.nextNumber(), (long) dialog.nextNumber());
        }
    }

    /**
     * Width and height fields. A user at the dialog sees the chosen model's default size (its native
     * size, 1024² for SDXL, unless the server sets another), following the model choice as Steps
     * does; a macro that leaves them out gets 0, which the engine reads as the model's size too.
     */
    static void addSize(CommandDialog dialog, ServerModels models, String widthLabel, String heightLabel) {
        if (!dialog.interactive()) {
            dialog.addNumber(widthLabel, 0, 0);
            dialog.addNumber(heightLabel, 0, 0);
            return;
        }
        Choice model = modelChoice(dialog);
        dialog.addNumber(widthLabel, models.defaultWidth(model.getSelectedItem()), 0);
        follow(model, lastNumber(dialog), models::defaultWidth);
        dialog.addNumber(heightLabel, models.defaultHeight(model.getSelectedItem()), 0);
        follow(model, lastNumber(dialog), models::defaultHeight);
    }

    /** The chosen model's defaults in {@code note}, and its step count in Steps (the field added last). */
    private static void followModelDefaults(CommandDialog dialog, ServerModels models, Label note) {
        Choice model = modelChoice(dialog);
        note.setText(models.defaults(model.getSelectedItem()));
        model.addItemListener(event -> {
            note.setText(models.defaults(model.getSelectedItem()));
            note.getParent().validate();
        });
        follow(model, lastNumber(dialog), models::defaultSteps);
    }

    /**
     * Choosing another model puts its default in {@code field}, unless the user typed a value of
     * their own there.
     */
    private static void follow(Choice model, TextField field, ToIntFunction<String> defaultOf) {
        String[] shownDefault = {Integer.toString(defaultOf.applyAsInt(model.getSelectedItem()))};
        model.addItemListener(event -> {
            String now = Integer.toString(defaultOf.applyAsInt(model.getSelectedItem()));
            if (field.getText().strip().equals(shownDefault[0])) {
                field.setText(now);
            }
            shownDefault[0] = now;
        });
    }

    /** The Model choice: every command's first. */
    private static Choice modelChoice(CommandDialog dialog) {
        return (Choice) dialog.generic().getChoices().get(0);
    }

    /** The number field added last. */
    @SuppressWarnings("unchecked")
    private static TextField lastNumber(CommandDialog dialog) {
        List<TextField> numbers = (List<TextField>) (List<?>) dialog.generic().getNumericFields();
        return numbers.get(numbers.size() - 1);
    }

    /**
     * The fields {@link #add} added, read; a prompt's LoRA tag naming a LoRA made for another family
     * than the model's is refused here, before anything is sent.
     *
     * @throws IllegalArgumentException naming the field, or the LoRA and both families
     */
    static Generation read(CommandDialog dialog, ServerModels models) {
        PromptToSeed read = PromptToSeed.read(dialog);
        boolean random = dialog.nextBoolean();
        String scheduler = dialog.nextChoice();
        models.checkLoras(read.model(), read.prompt());
        return new Generation(read.model(), read.prompt(), read.negativePrompt(), read.steps(), read.guidance(),
                random ? -1 : read.seed(), ServerModels.scheduler(scheduler), dialog.nextInt(), dialog.nextInt(),
                dialog.nextBoolean());
    }
}
