package io.fijigen.plugin;

import java.util.Arrays;
import java.util.Locale;

/**
 * One job of this session as the Jobs window shows it, at one moment: {@link JobsModel} replaces
 * the entry as the job moves on, so a reader never sees half an update.
 *
 * @param id the job's number in this session, from 1
 * @param command the command that ran it, e.g. {@code Inpaint Selection}
 * @param title the first words of its prompt
 * @param state where it is
 * @param position jobs ahead of it while queued
 * @param step the last finished denoising step; 0 before the first
 * @param steps the job's steps; 0 until the first step says
 * @param preview the latest step preview PNG; null: none yet (or none asked for), or the job ended
 * @param parameters the result's parameters text once finished; empty otherwise
 * @param seconds how long the user waited, once ended
 * @param cancel cancels the job; null once it ended
 * @param rerun runs the same job again; null: it cannot be
 */
public record JobEntry(long id, String command, String title, State state, int position, int step, int steps,
        byte[] preview, String parameters, double seconds, Runnable cancel, Runnable rerun) {

    /** A job's states: queued → running → finished, cancelled or failed (also straight from queued). */
    public enum State {
        QUEUED, RUNNING, FINISHED, CANCELLED, FAILED;

        public boolean ended() {
            return this == FINISHED || this == CANCELLED || this == FAILED;
        }
    }

    /** Words of the prompt a title keeps, and its longest length. */
    static final int TITLE_WORDS = 6;
    static final int TITLE_CHARS = 40;

    /** A new, queued job. */
    static JobEntry queued(long id, String command, String prompt, Runnable cancel, Runnable rerun) {
        return new JobEntry(id, command, title(prompt), State.QUEUED, 0, 0, 0, null, "", 0, cancel, rerun);
    }

    /** The prompt's first words, shortened with an ellipsis; {@code (no prompt)} for an empty one. */
    static String title(String prompt) {
        String[] words = prompt == null ? new String[0] : prompt.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return "(no prompt)";
        }
        String title = String.join(" ", Arrays.copyOf(words, Math.min(words.length, TITLE_WORDS)));
        if (title.length() > TITLE_CHARS) {
            return title.substring(0, TITLE_CHARS - 1).strip() + "…";
        }
        return words.length > TITLE_WORDS ? title + " …" : title;
    }

    /**
     * Where the job is, in words: {@code queued, 2 ahead}, {@code step 3/20}, {@code finished in 4.1 s},
     * {@code cancelled at step 3/20 after 1.2 s, nothing was inserted}.
     */
    public String status() {
        String time = String.format(Locale.ROOT, "%.1f s", seconds);
        return switch (state) {
            case QUEUED -> "queued" + (position > 0 ? ", " + position + " ahead" : "");
            case RUNNING -> steps > 0 ? "step " + step + "/" + steps : "starting";
            case FINISHED -> "finished in " + time;
            case CANCELLED -> "cancelled" + (steps > 0 ? " at step " + step + "/" + steps : "") + " after " + time
                    + ", nothing was inserted";
            case FAILED -> "failed after " + time + " (the Log has the message)";
        };
    }

    JobEntry progressed(State newState, int newPosition, int newStep, int newSteps, byte[] newPreview) {
        return new JobEntry(id, command, title, newState, newPosition, newStep, newSteps, newPreview, parameters,
                seconds, cancel, rerun);
    }

    /** The ended job, without its preview and its cancel, which hold on to its images until the history drops it. */
    JobEntry ended(State end, String newParameters, double newSeconds) {
        return new JobEntry(id, command, title, end, 0, step, steps, null, newParameters, newSeconds, null, rerun);
    }
}
