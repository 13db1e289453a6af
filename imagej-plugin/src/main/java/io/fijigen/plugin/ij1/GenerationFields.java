package io.fijigen.plugin.ij1;

import io.fijigen.plugin.Generation;
import java.util.List;

/**
 * The fields every diffusion dialog shares (model, prompt, negative prompt, steps, guidance, seed,
 * scheduler, images, preview every), and the values the last interactive use left in them. Macros
 * start from the defaults, so a recorded macro means the same on every run.
 */
final class GenerationFields {
    private static String prompt = "";
    private static String negativePrompt = "";
    private static String model = "";
    private static String scheduler = ServerModels.DEFAULT_SCHEDULER;
    private static int steps;
    private static double guidance = 7.5;
    private static long seed = -1;
    private static int images = 1;
    private static int previewEvery;

    private GenerationFields() {}

    static void add(CommandDialog dialog, List<String> models, List<String> schedulers) {
        if (models.isEmpty()) {
            throw new IllegalStateException("the server offers no model for this command");
        }
        boolean remembered = dialog.interactive();
        dialog.addChoice("Model", models, remembered ? model : models.get(0));
        dialog.addString("Prompt", remembered ? prompt : "", 40);
        dialog.addString("Negative prompt", remembered ? negativePrompt : "", 40);
        dialog.addNumber("Steps (0: model's default)", remembered ? steps : 0, 0);
        dialog.addNumber("Guidance", remembered ? guidance : 7.5, 1);
        dialog.addNumber("Seed (-1: random)", remembered ? seed : -1, 0);
        dialog.addChoice("Scheduler", schedulers, remembered ? scheduler : ServerModels.DEFAULT_SCHEDULER);
        dialog.addNumber("Images", remembered ? images : 1, 0);
        dialog.addNumber("Preview every (steps, 0: none)", remembered ? previewEvery : 0, 0);
    }

    static Generation read(CommandDialog dialog) {
        String chosenModel = dialog.nextChoice();
        String chosenPrompt = dialog.nextString();
        String chosenNegative = dialog.nextString();
        int chosenSteps = dialog.nextInt();
        double chosenGuidance = dialog.nextNumber();
        long chosenSeed = (long) dialog.nextNumber();
        String chosenScheduler = dialog.nextChoice();
        int chosenImages = dialog.nextInt();
        int chosenPreview = dialog.nextInt();
        Generation generation = new Generation(chosenModel, chosenPrompt, chosenNegative, chosenSteps,
                chosenGuidance, chosenSeed, ServerModels.scheduler(chosenScheduler), chosenImages, chosenPreview);
        if (dialog.interactive()) {
            model = chosenModel;
            prompt = chosenPrompt;
            negativePrompt = chosenNegative;
            steps = chosenSteps;
            guidance = chosenGuidance;
            seed = chosenSeed;
            scheduler = chosenScheduler;
            images = chosenImages;
            previewEvery = chosenPreview;
        }
        return generation;
    }
}
