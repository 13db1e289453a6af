package io.fijigen.plugin.ij1;

import io.fijigen.plugin.JobEntry;
import java.awt.BorderLayout;
import java.awt.Button;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Insets;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextField;

/**
 * One job in the {@link JobsWindow}: its command and title, where it is, its latest preview, and
 * Cancel while it runs; once ended, its parameters (selectable, to copy) and Re-run where the
 * command offers it. The row stays the same component while the job moves on, so a click on
 * Cancel is not lost to a step that arrives between press and release.
 */
final class JobRow extends Panel {
    private static final int PARAMETER_COLUMNS = 36;

    private final Thumbnail thumbnail = new Thumbnail();
    private final Label heading = new Label();
    private final Label status = new Label();
    private final TextField parameters = new TextField(PARAMETER_COLUMNS);
    private final Panel texts = new Panel(new BorderLayout());
    private final Button button = new Button();
    private final Panel buttons = new Panel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
    private JobEntry shown;

    JobRow() {
        super(new BorderLayout(6, 0));
        setName("job");
        heading.setName("heading");
        heading.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        status.setName("status");
        parameters.setName("parameters");
        parameters.setEditable(false);
        texts.add(heading, BorderLayout.NORTH);
        texts.add(status, BorderLayout.CENTER);
        button.addActionListener(event -> press());
        buttons.add(button);
        add(thumbnail, BorderLayout.WEST);
        add(texts, BorderLayout.CENTER);
        add(buttons, BorderLayout.EAST);
    }

    /**
     * Shows {@code entry}, the same job as before or a new one.
     *
     * @return whether the row's size may have changed (its window must lay out again)
     */
    boolean display(JobEntry entry) {
        boolean ending = entry.state().ended() && (shown == null || !shown.state().ended());
        shown = entry;
        heading.setText(entry.command() + " · " + entry.title());
        status.setText(entry.status());
        boolean resized = thumbnail.display(entry.state().ended() ? null : entry.preview());
        if (ending) {
            parameters.setText(entry.parameters().replace('\n', ' '));
            parameters.setCaretPosition(0);
            if (!entry.parameters().isEmpty()) {
                texts.add(parameters, BorderLayout.SOUTH);
            }
            button.setLabel("Re-run");
            button.setEnabled(true);
            buttons.setVisible(entry.rerun() != null);
            return true;
        }
        if (!entry.state().ended() && button.getLabel().isEmpty()) {
            button.setLabel("Cancel");
            return true;
        }
        return resized;
    }

    @Override
    public Insets getInsets() {
        return new Insets(4, 4, 4, 4);
    }

    /** Cancel, once; or Re-run, off the event thread, as a menu command runs. */
    private void press() {
        JobEntry entry = shown;
        if (!entry.state().ended()) {
            button.setEnabled(false);
            button.setLabel("Cancelling…");
            entry.cancel().run();
        } else if (entry.rerun() != null) {
            new Thread(entry.rerun(), "fijigen re-run " + entry.command()).start();
        }
    }
}
