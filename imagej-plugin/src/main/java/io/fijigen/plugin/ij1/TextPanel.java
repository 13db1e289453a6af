package io.fijigen.plugin.ij1;

import java.awt.BorderLayout;
import java.awt.Choice;
import java.awt.FlowLayout;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextArea;
import java.util.List;

/**
 * A dialog's multi-line text field: its label, a list of recent texts (choosing one puts it in the
 * field) and the text area.
 */
final class TextPanel {
    /** The list's first item, which chooses nothing. */
    static final String RECENT = "Recent…";

    private TextPanel() {}

    static Panel of(String label, TextArea area, List<String> recent) {
        Panel header = new Panel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        header.add(new Label(label));
        if (!recent.isEmpty()) {
            Choice choice = new Choice();
            choice.add(RECENT);
            recent.forEach(text -> choice.add(oneLine(text)));
            choice.addItemListener(event -> {
                int index = choice.getSelectedIndex();
                if (index > 0) {
                    area.setText(recent.get(index - 1));
                    choice.select(0);
                }
            });
            header.add(choice);
        }
        Panel panel = new Panel(new BorderLayout());
        panel.add(header, BorderLayout.NORTH);
        panel.add(area, BorderLayout.CENTER);
        return panel;
    }

    /** A text as one short line of a list. */
    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }
}
