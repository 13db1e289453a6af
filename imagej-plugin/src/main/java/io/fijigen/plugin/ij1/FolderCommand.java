package io.fijigen.plugin.ij1;

import io.fijigen.plugin.FolderRun;

/**
 * A command that sends an image, as Batch Folder applies it to each image of a folder: the fields
 * of its dialog on what to do with an image (Process and the other stack fields included), which
 * Batch Folder shows after its own, and their reading into a job per plane. The command's own dialog
 * is built from the same fields, so a batch's macro keys are the command's.
 */
interface FolderCommand {
    /** The command's menu name, as Batch Folder's {@code command=} names it. */
    String command();

    /**
     * Adds the fields.
     *
     * @throws IllegalStateException when the server has no model for the command
     */
    void addFields(CommandDialog dialog, ServerModels models);

    /**
     * The fields {@link #addFields} added, read.
     *
     * @throws IllegalArgumentException naming the field whose value is wrong
     */
    FolderRun.Command readFields(CommandDialog dialog, ServerModels models);
}
