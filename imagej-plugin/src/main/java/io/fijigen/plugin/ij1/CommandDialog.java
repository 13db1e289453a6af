package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import ij.plugin.frame.Recorder;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.Label;
import java.awt.Rectangle;
import java.awt.TextArea;
import java.awt.TextField;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A command's dialog: a {@link GenericDialog} (which ImageJ's macro recorder records and whose
 * fields a macro's {@code run(command, options)} fills), or, on a headless JVM where no dialog can
 * exist, the macro options read the way GenericDialog reads them: a field's key is its label's
 * first word in lower case ({@code Negative prompt} → {@code negative=[...]}), a checkbox is on
 * when its key appears as a word.
 *
 * <p>A user at the dialog gets back what they last typed into it; a macro never does: the keys it
 * leaves out take the values the command adds the fields with, so a recorded line means the same
 * whatever was typed before. The dialog checks its values as they are typed (with the command's own
 * reader): while they are wrong, OK is disabled and the dialog says why, and nothing typed is lost.
 *
 * <p>Fields are read back in the order they were added, as with GenericDialog.
 */
final class CommandDialog {
    /** What a user last typed into each dialog, by dialog title and field key. */
    private static final Map<String, Object> LAST = new ConcurrentHashMap<>();

    /** A command's reading of its dialog's values into its options. */
    @FunctionalInterface
    interface Reader<T> {
        /** @throws IllegalArgumentException naming the field, when a value is wrong */
        T read(CommandDialog dialog);
    }

    private enum Kind { STRING, TEXT, RECENT_TEXT, NUMBER, CHOICE, CHECKBOX }

    private record Field(Kind kind, String key, Object initial, TextArea area) {}

    /** A number field's text that is no number. */
    private record NotANumber(String text) {}

    private final GenericDialog dialog;
    private final String title;
    /** The macro options running this command; null when a user is at the dialog. */
    private final String options;
    private final List<Field> fields = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private Label problem;
    private int next;

    CommandDialog(String title) {
        this.title = title;
        this.options = Macro.getOptions();
        this.dialog = GraphicsEnvironment.isHeadless() ? null : new GenericDialog(title);
    }

    /** Whether a user is at a real dialog (false: headless, or a macro fills it). */
    boolean interactive() {
        return dialog != null && options == null;
    }

    /** The GenericDialog, for extras such as buttons; null when headless. */
    GenericDialog generic() {
        return dialog;
    }

    /** The value a field opens with: what the user last typed, when a user is at the dialog. */
    private Object initial(String label, Object value) {
        Object last = interactive() ? LAST.get(title + '\n' + Macro.trimKey(label)) : null;
        return last != null && last.getClass() == value.getClass() ? last : value;
    }

    void addString(String label, String value, int columns) {
        String shown = (String) initial(label, value);
        if (dialog != null) {
            dialog.addStringField(label, shown, columns);
        }
        fields.add(new Field(Kind.STRING, Macro.trimKey(label), value, null));
    }

    /** A folder's path: at a dialog, a string field with a Browse button; in macros, a string option. */
    void addFolder(String label, String value) {
        String shown = (String) initial(label, value);
        if (dialog != null) {
            dialog.addDirectoryField(label, shown, 40);
        }
        fields.add(new Field(Kind.STRING, Macro.trimKey(label), value, null));
    }

    /** A string field whose typing is hidden (a token). */
    void addSecret(String label, String value, int columns) {
        if (dialog != null) {
            dialog.setEchoChar('*');
        }
        addString(label, value, columns);
    }

    /**
     * A multi-line text field; in macros, a string option like any other. With {@code recent}, the
     * field offers the {@link RecentPrompts} and what a user runs joins them.
     */
    void addText(String label, String value, boolean recent) {
        String shown = (String) initial(label, value);
        TextArea area = null;
        if (dialog != null) {
            area = new TextArea(shown, 3, 50, TextArea.SCROLLBARS_VERTICAL_ONLY);
            dialog.addPanel(TextPanel.of(label, area, recent ? RecentPrompts.list() : List.of()));
        }
        fields.add(new Field(recent ? Kind.RECENT_TEXT : Kind.TEXT, Macro.trimKey(label), value, area));
    }

    void addNumber(String label, double value, int decimals) {
        double shown = (Double) initial(label, value);
        if (dialog != null) {
            dialog.addNumericField(label, shown, decimals);
        }
        fields.add(new Field(Kind.NUMBER, Macro.trimKey(label), value, null));
    }

    void addChoice(String label, List<String> items, String value) {
        String first = items.contains(value) ? value : items.get(0);
        String shown = (String) initial(label, first);
        if (dialog != null) {
            dialog.addChoice(label, items.toArray(String[]::new), items.contains(shown) ? shown : first);
        }
        fields.add(new Field(Kind.CHOICE, Macro.trimKey(label), first, null));
    }

    void addCheckbox(String label, boolean value) {
        boolean shown = (Boolean) initial(label, value);
        if (dialog != null) {
            dialog.addCheckbox(label, shown);
        }
        fields.add(new Field(Kind.CHECKBOX, Macro.trimKey(label), value, null));
    }

    /**
     * Opens the dialog beside {@code imp}'s window rather than over it (to the right where the screen
     * has room, else to the left), so what a button draws on the image can be seen.
     */
    void besideImage(ImagePlus imp) {
        ImageWindow window = imp.getWindow();
        if (dialog == null || window == null) {
            return;
        }
        dialog.pack();
        Rectangle image = window.getBounds();
        Rectangle screen = window.getGraphicsConfiguration().getBounds();
        int right = image.x + image.width;
        int x = right + dialog.getWidth() <= screen.x + screen.width ? right
                : Math.max(screen.x, image.x - dialog.getWidth());
        dialog.setLocation(x, image.y);
        // Showing adds the OK and Cancel row: only then is the height known. Level with the image,
        // but moved up as far as it takes to keep OK on the screen.
        dialog.addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent event) {
                int bottom = screen.y + screen.height;
                if (dialog.getY() + dialog.getHeight() > bottom) {
                    dialog.setLocation(dialog.getX(), Math.max(screen.y, bottom - dialog.getHeight()));
                }
            }
        });
    }

    /** A line of text that is no field, to change while the dialog shows; null when headless. */
    Label addNote(String text) {
        if (dialog == null) {
            return null;
        }
        dialog.addMessage(text);
        return (Label) dialog.getMessage();
    }

    /**
     * Shows the dialog (fills it from the macro options when a macro runs the command) and reads it
     * with {@code reader}.
     *
     * @return empty when the user cancelled
     * @throws IllegalArgumentException from {@code reader}, for a macro's wrong value
     * @throws IllegalStateException headless without macro options: there is no one to ask
     */
    <T> Optional<T> show(Reader<T> reader) {
        if (dialog == null) {
            if (options == null) {
                throw new IllegalStateException("ImageJ runs headless: run \"" + title + "\" from a macro with its"
                        + " options, e.g. run(\"" + title + "\", \"" + String.join("=… ",
                        fields.stream().map(Field::key).toList()) + "=…\")");
            }
            return Optional.of(read(reader, false));
        }
        dialog.addMessage(" ");
        problem = (Label) dialog.getMessage();
        problem.setForeground(Color.RED.darker());
        // The first listener is also called once OK was pressed, when its reading is recorded.
        dialog.addDialogListener((gd, event) -> {
            try {
                read(reader, event == null);
                problem.setText(" ");
                return true;
            } catch (IllegalArgumentException e) {
                problem.setText(e.getMessage());
                return false;
            }
        });
        dialog.showDialog();
        if (dialog.wasCanceled()) {
            return Optional.empty();
        }
        T read = read(reader, false);
        if (options == null) {
            for (int i = 0; i < fields.size(); i++) {
                if (!(values.get(i) instanceof NotANumber)) {
                    LAST.put(title + '\n' + fields.get(i).key(), values.get(i));
                }
                if (fields.get(i).kind() == Kind.RECENT_TEXT) {
                    RecentPrompts.add((String) values.get(i));
                }
            }
        }
        return Optional.of(read);
    }

    /**
     * The values last read as macro options, as the recorder writes them ({@code key=value},
     * {@code key=[text]}, a checkbox's key when on): run with them, the command does the same again.
     */
    String macroOptions() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            Object value = values.get(i);
            String key = fields.get(i).key();
            if (value instanceof Boolean on) {
                line.append(on ? key + " " : "");
            } else if (value instanceof Double number) {
                line.append(key).append('=').append(number == Math.rint(number) ? Long.toString(number.longValue())
                        : number.toString()).append(' ');
            } else {
                line.append(key).append("=[").append(value).append("] ");
            }
        }
        return line.toString().strip();
    }

    /** Reads every field, then the command's options from them. */
    private <T> T read(Reader<T> reader, boolean record) {
        values.clear();
        int numbers = 0;
        for (Field field : fields) {
            values.add(value(field, record, numbers));
            numbers += field.kind() == Kind.NUMBER ? 1 : 0;
        }
        next = 0;
        return reader.read(this);
    }

    /** @param number which of the dialog's number fields the field is, if it is one */
    private Object value(Field field, boolean record, int number) {
        boolean multiLine = field.kind() == Kind.TEXT || field.kind() == Kind.RECENT_TEXT;
        if (dialog != null && options == null && multiLine) {
            String text = field.area().getText();
            if (record && Recorder.record) {
                Recorder.recordOption(field.key(), text);
            }
            return text;
        }
        if (dialog != null && !multiLine) {
            return switch (field.kind()) {
                case STRING -> dialog.getNextString();
                case CHOICE -> dialog.getNextChoice();
                case CHECKBOX -> dialog.getNextBoolean();
                default -> {
                    double value = dialog.getNextNumber();
                    yield dialog.invalidNumber()
                            ? new NotANumber(((TextField) dialog.getNumericFields().get(number)).getText().strip())
                            : value;
                }
            };
        }
        return switch (field.kind()) {
            case STRING, TEXT, RECENT_TEXT, CHOICE -> Macro.getValue(options, field.key(), (String) field.initial());
            case CHECKBOX -> isWord(options, field.key());
            default -> number(field);
        };
    }

    /** A number from the macro options, or what the option holds instead. */
    private Object number(Field field) {
        String text = Macro.getValue(options, field.key(), null);
        if (text == null) {
            return (Double) field.initial();
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return new NotANumber(text);
        }
    }

    String nextString() {
        return (String) values.get(next++);
    }

    String nextChoice() {
        return nextString();
    }

    /** @throws IllegalArgumentException when the field holds something that is not a number */
    double nextNumber() {
        Object value = values.get(next);
        String key = fields.get(next++).key();
        if (value instanceof NotANumber wrong) {
            throw new IllegalArgumentException(key + ": '" + wrong.text() + "' is not a number");
        }
        return (Double) value;
    }

    /** @throws IllegalArgumentException when the field holds no whole number */
    int nextInt() {
        double value = nextNumber();
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(fields.get(next - 1).key() + ": " + value + " is not a whole number");
        }
        return (int) value;
    }

    boolean nextBoolean() {
        return (Boolean) values.get(next++);
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
