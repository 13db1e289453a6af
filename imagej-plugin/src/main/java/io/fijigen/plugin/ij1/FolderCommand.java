package io.fijigen.plugin.ij1;

import io.fijigen.plugin.FolderRun;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A command that sends an image, as Batch Folder applies it to each image of a folder: the dialogs
 * of its fields on what to do with an image (Process and the other stack fields included), which
 * Batch Folder shows after its own, and their reading into a job per plane. The command's own dialog
 * is built from the same fields, so a batch's macro keys are the command's.
 */
interface FolderCommand {
    /** The command's menu name, as Batch Folder's {@code command=} names it. */
    String command();

    /**
     * Shows the fields' dialogs, the first titled {@code title}, each added to {@code shown} (for the
     * macro line), and reads them.
     *
     * @return empty when the user cancelled
     * @throws IllegalStateException when the server has no model for the command
     * @throws IllegalArgumentException for a macro's wrong value, naming the field
     */
    Optional<FolderRun.Command> ask(String title, ServerModels models, List<CommandDialog> shown);

    /** {@link #ask} for a command whose fields are one dialog's: added by {@code add}, read by {@code read}. */
    static Optional<FolderRun.Command> askInOne(String title, List<CommandDialog> shown, Consumer<CommandDialog> add,
            CommandDialog.Reader<FolderRun.Command> read) {
        CommandDialog dialog = new CommandDialog(title);
        add.accept(dialog);
        shown.add(dialog);
        return dialog.show(read);
    }
}
