package io.fijigen.plugin.ij1;

import ij.IJ;
import io.fijigen.plugin.BatchFolder;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Batch Folder...: one command — Generate (img2img), Inpaint Selection, Expand
 * Canvas, ControlNet from Image, Upscale x4 or Refine Upscale — applied to every image of a folder
 * that has no result yet ({@link FolderRun}), the results as TIFFs in an output folder with a CSV of
 * parameters per file ({@link BatchFolder}). Two dialogs, the folders and the command, then that
 * command's own fields (and ControlNet's more options); a macro's one line fills them all, with the
 * command's own keys:
 * {@code run("Batch Folder...", "input=/data/in output=/data/out command=[Upscale x4...]
 * model=tiny-x4-upscaler steps=2")}.
 */
public final class BatchFolderPlugin extends EngineCommand {
    static final String COMMAND = "Batch Folder...";
    private static final String NAME = "Batch Folder";

    /** The commands it applies, in the menu's order. */
    private static final List<FolderCommand> COMMANDS = List.of(new GeneratePlugin(), new InpaintSelectionPlugin(),
            new ExpandCanvasPlugin(), new ControlNetPlugin(), new UpscalePlugin(), new RefineUpscalePlugin());

    public BatchFolderPlugin() {
        super(NAME);
    }

    /** What the first dialog asks for. */
    private record Choices(Path input, Path output, FolderCommand command) {}

    @Override
    void run(EngineClient client) throws EngineException {
        CommandDialog dialog = new CommandDialog(COMMAND);
        dialog.addFolder("Input folder (TIFF, PNG, JPEG, GIF, BMP images)", "");
        dialog.addFolder("Output folder (a TIFF per image, and " + BatchFolder.CSV + ")", "");
        dialog.addChoice("Command (on each image; Generate is img2img)",
                COMMANDS.stream().map(FolderCommand::command).toList(), GeneratePlugin.COMMAND);
        Optional<Choices> choices = dialog.show(BatchFolderPlugin::read);
        if (choices.isEmpty()) {
            return;
        }
        FolderCommand command = choices.get().command();
        ServerModels models = new ServerModels(client.listModels());
        List<CommandDialog> shown = new ArrayList<>(List.of(dialog));
        Optional<FolderRun.Command> read = command.ask(NAME + ": " + command.command(), models, shown);
        if (read.isEmpty()) {
            return;
        }
        CommandDialog[] dialogs = shown.toArray(CommandDialog[]::new);
        FolderRun.Outcome outcome = run(client, choices.get(), read.get().recordedAs(macro(COMMAND, dialogs)),
                rerun(COMMAND, null, macroOptions(dialogs)));
        String summary = outcome.summary();
        IJ.log("fijigen " + NAME + ": " + summary + "; results and " + BatchFolder.CSV + " in "
                + choices.get().output());
        if (outcome.stopped() != null) {
            report(NAME, outcome.stopped() + " (" + summary + ")");
        } else {
            IJ.showStatus(NAME + ": " + summary);
        }
    }

    private static FolderRun.Outcome run(EngineClient client, Choices choices, FolderRun.Command command,
            Runnable rerun) {
        try {
            BatchFolder folder = BatchFolder.open(choices.input(), choices.output());
            if (folder.images().isEmpty()) {
                throw new IllegalArgumentException("input folder " + choices.input() + " holds no images (TIFF, PNG,"
                        + " JPEG, GIF or BMP files)");
            }
            try (JobProgress progress = new JobProgress(NAME, choices.input().toString(), null, client::cancel,
                    rerun)) {
                FolderRun.Outcome outcome = new FolderRun(client).run(folder, command, progress);
                if (!outcome.cancelled() && outcome.stopped() == null) {
                    progress.finished(outcome.summary());
                }
                return outcome;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + choices.input() + " or write " + choices.output() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException for a folder not given, or an input folder that does not exist */
    private static Choices read(CommandDialog dialog) {
        Path input = folder("input", dialog.nextString());
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("input folder " + input + " does not exist: give the folder of the "
                    + "images to process");
        }
        Path output = folder("output", dialog.nextString());
        String name = dialog.nextChoice();
        FolderCommand command = COMMANDS.stream().filter(c -> c.command().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("command: '" + name + "' is none of " + String.join(
                        ", ", COMMANDS.stream().map(FolderCommand::command).toList())));
        return new Choices(input, output, command);
    }

    private static Path folder(String key, String path) {
        if (path.isBlank()) {
            throw new IllegalArgumentException(key + ": give a folder");
        }
        return Path.of(path.strip());
    }
}
