package io.fijigen.plugin.ij1;

import io.fijigen.plugin.Generation;
import java.awt.Choice;
import java.awt.Label;
import java.awt.TextField;
import java.util.List;

/**
 * The fields every diffusion dialog shares, ordered by how often they are changed: prompt,
 * negative prompt, model, steps, guidance, seed (and a new random one each run), scheduler, images,
 * preview every. A user at the dialog sees the chosen model's real step count; a macro that leaves
 * steps out gets the model's default, whichever model it names.
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
    }

    /**
     * The fields every command that runs a model starts with: prompt, negative prompt, model,
     * steps, guidance (at {@code guidance}) and seed.
     */
    static void addPromptToSeed(CommandDialog dialog, ServerModels models, List<String> ids, double guidance) {
        if (ids.isEmpty()) {
            throw new IllegalStateException("the server offers no model for this command");
        }
        dialog.addText("Prompt", "", true);
        dialog.addText("Negative prompt", "", false);
        dialog.addChoice("Model", ids, ids.get(0));
        Label defaults = dialog.interactive() ? dialog.addNote(" ") : null;
        dialog.addNumber("Steps", dialog.interactive() ? models.defaultSteps(ids.get(0)) : 0, 0);
        dialog.addNumber("Guidance", guidance, 1);
        dialog.addNumber("Seed (-1: random)", -1, 0);
        if (dialog.interactive()) {
            followModelDefaults(dialog, models, defaults);
        }
    }

    /**
     * The chosen model's defaults in {@code note}; choosing another model puts its step count in
     * Steps, unless the user typed one of their own.
     */
    @SuppressWarnings("unchecked")
    private static void followModelDefaults(CommandDialog dialog, ServerModels models, Label note) {
        Choice model = (Choice) dialog.generic().getChoices().get(0);
        TextField steps = ((List<TextField>) (List<?>) dialog.generic().getNumericFields()).get(0);
        String[] shownDefault = {Integer.toString(models.defaultSteps(model.getSelectedItem()))};
        note.setText(models.defaults(model.getSelectedItem()));
        model.addItemListener(event -> {
            note.setText(models.defaults(model.getSelectedItem()));
            note.getParent().validate();
            String now = Integer.toString(models.defaultSteps(model.getSelectedItem()));
            if (steps.getText().strip().equals(shownDefault[0])) {
                steps.setText(now);
            }
            shownDefault[0] = now;
        });
    }

    static Generation read(CommandDialog dialog) {
        String prompt = dialog.nextString();
        String negativePrompt = dialog.nextString();
        String model = dialog.nextChoice();
        int steps = dialog.nextInt();
        double guidance = dialog.nextNumber();
        long seed = (long) dialog.nextNumber();
        boolean random = dialog.nextBoolean();
        String scheduler = dialog.nextChoice();
        return new Generation(model, prompt, negativePrompt, steps, guidance, random ? -1 : seed,
                ServerModels.scheduler(scheduler), dialog.nextInt(), dialog.nextInt());
    }
}
