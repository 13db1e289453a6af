package io.fijigen.plugin.ij1;

import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command's dialog: a {@link GenericDialog} (which ImageJ's macro recorder records and whose
 * fields a macro's {@code run(command, options)} fills), or, on a headless JVM where no dialog can
 * exist, the macro options read the way GenericDialog reads them: a field's key is its label's
 * first word in lower case ({@code Negative prompt} → {@code negative=[...]}), a checkbox is on
 * when its key appears as a word.
 *
 * <p>Fields are read back in the order they were added, as with GenericDialog.
 */
final class CommandDialog {
    private final GenericDialog dialog;
    private final List<Object> defaults = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final String title;
    private String options;
    private int next;

    CommandDialog(String title) {
        this.title = title;
        this.dialog = GraphicsEnvironment.isHeadless() ? null : new GenericDialog(title);
    }

    /** Whether a real dialog backs this one (false: headless, from macro options). */
    boolean interactive() {
        return dialog != null;
    }

    /** The GenericDialog, for extras such as buttons; null when headless. */
    GenericDialog generic() {
        return dialog;
    }

    void addString(String label, String value, int columns) {
        if (dialog != null) {
            dialog.addStringField(label, value, columns);
        }
        remember(label, value);
    }

    void addNumber(String label, double value, int decimals) {
        if (dialog != null) {
            dialog.addNumericField(label, value, decimals);
        }
        remember(label, value);
    }

    void addChoice(String label, List<String> items, String value) {
        if (dialog != null) {
            dialog.addChoice(label, items.toArray(String[]::new), items.contains(value) ? value : items.get(0));
        }
        remember(label, items.contains(value) ? value : items.get(0));
    }

    void addCheckbox(String label, boolean value) {
        if (dialog != null) {
            dialog.addCheckbox(label, value);
        }
        remember(label, value);
    }

    void addMessage(String text) {
        if (dialog != null) {
            dialog.addMessage(text);
        }
    }

    private void remember(String label, Object value) {
        keys.add(Macro.trimKey(label));
        defaults.add(value);
    }

    /**
     * Shows the dialog (fills it from the macro options when a macro runs the command).
     *
     * @return false when the user cancelled
     * @throws IllegalStateException headless without macro options: there is no one to ask
     */
    boolean show() {
        if (dialog != null) {
            dialog.showDialog();
            return !dialog.wasCanceled();
        }
        options = Macro.getOptions();
        if (options == null) {
            throw new IllegalStateException("ImageJ runs headless: run \"" + title
                    + "\" from a macro with its options, e.g. run(\"" + title + "\", \"" + String.join("=… ", keys)
                    + "=…\")");
        }
        return true;
    }

    String nextString() {
        int field = next++;
        return dialog != null ? dialog.getNextString()
                : Macro.getValue(options, keys.get(field), (String) defaults.get(field));
    }

    String nextChoice() {
        int field = next++;
        return dialog != null ? dialog.getNextChoice()
                : Macro.getValue(options, keys.get(field), (String) defaults.get(field));
    }

    /** @throws IllegalArgumentException when the field holds something that is not a number */
    double nextNumber() {
        int field = next++;
        String key = keys.get(field);
        if (dialog != null) {
            double value = dialog.getNextNumber();
            if (dialog.invalidNumber()) {
                throw new IllegalArgumentException(key + ": not a number");
            }
            return value;
        }
        String text = Macro.getValue(options, key, null);
        if (text == null) {
            return (Double) defaults.get(field);
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a number", e);
        }
    }

    /** @throws IllegalArgumentException when the field holds no whole number */
    int nextInt() {
        double value = nextNumber();
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(keys.get(next - 1) + ": " + value + " is not a whole number");
        }
        return (int) value;
    }

    boolean nextBoolean() {
        int field = next++;
        return dialog != null ? dialog.getNextBoolean() : isWord(options, keys.get(field));
    }

    /** Whether {@code key} stands alone in {@code options}, outside any [bracketed] value. */
    static boolean isWord(String options, String key) {
        boolean bracketed = false;
        String lower = options.toLowerCase(Locale.US);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '[') {
                bracketed = true;
            } else if (c == ']') {
                bracketed = false;
            } else if (!bracketed && (i == 0 || lower.charAt(i - 1) == ' ') && lower.startsWith(key, i)) {
                int end = i + key.length();
                if (end == lower.length() || lower.charAt(end) == ' ') {
                    return true;
                }
            }
        }
        return false;
    }
}
