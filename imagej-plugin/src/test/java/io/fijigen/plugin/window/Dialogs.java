package io.fijigen.plugin.window;

import ij.IJ;
import ij.gui.GenericDialog;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.ItemSelectable;
import java.awt.TextArea;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.awt.event.TextEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * ImageJ's dialogs as a user meets them in the window scenarios: waiting for one to show, typing into
 * its fields, choosing, ticking and pressing its buttons, so that its listeners hear of each change
 * as they hear of a user's.
 */
final class Dialogs {
    private static final long WAIT_MILLIS = 60_000;

    private Dialogs() {}

    /** The showing GenericDialog titled {@code title}, once it shows. */
    static GenericDialog awaitDialog(String title) throws Exception {
        GenericDialog[] found = new GenericDialog[1];
        await(() -> {
            for (Window window : Window.getWindows()) {
                if (window instanceof GenericDialog dialog && dialog.isShowing() && dialog.getTitle().equals(title)) {
                    found[0] = dialog;
                    return true;
                }
            }
            return false;
        }, "the dialog " + title);
        IJ.wait(500);
        return found[0];
    }

    /** Waits up to a minute for {@code condition}. */
    static void await(Supplier<Boolean> condition, String what) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.get()) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("waited in vain for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Types {@code text} into {@code field} as a user would: the field's listeners hear of it. */
    static void type(TextField field, String text) throws Exception {
        EventQueue.invokeAndWait(() -> {
            field.setText(text);
            field.dispatchEvent(new TextEvent(field, TextEvent.TEXT_VALUE_CHANGED));
        });
    }

    /** Chooses {@code item} in {@code choice}: its listeners hear of it. */
    static void choose(Choice choice, String item) throws Exception {
        EventQueue.invokeAndWait(() -> {
            choice.select(item);
            changed(choice, item);
        });
    }

    /** Ticks {@code checkbox} on or off: its listeners hear of it. */
    static void tick(Checkbox checkbox, boolean on) throws Exception {
        EventQueue.invokeAndWait(() -> {
            checkbox.setState(on);
            changed(checkbox, checkbox);
        });
    }

    private static void changed(Component selectable, Object item) {
        selectable.dispatchEvent(new ItemEvent((ItemSelectable) selectable, ItemEvent.ITEM_STATE_CHANGED, item,
                ItemEvent.SELECTED));
    }

    /** Presses {@code button}: its action, on the event thread. */
    static void press(Button button) throws Exception {
        EventQueue.invokeAndWait(() -> button.dispatchEvent(
                new ActionEvent(button, ActionEvent.ACTION_PERFORMED, button.getLabel())));
    }

    static Button button(GenericDialog dialog, String label) {
        return components(dialog, Button.class).stream().filter(b -> b.getLabel().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no button " + label));
    }

    /** The dialog's choice that offers {@code item}. */
    static Choice choiceOffering(GenericDialog dialog, String item) {
        return components(dialog, Choice.class).stream().filter(c -> items(c).contains(item)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no choice offers " + item));
    }

    /** The dialog's checkbox whose label starts with {@code label}. */
    static Checkbox checkbox(GenericDialog dialog, String label) {
        return components(dialog, Checkbox.class).stream().filter(c -> c.getLabel().startsWith(label)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no checkbox " + label));
    }

    static List<TextArea> textAreas(Container dialog) {
        return components(dialog, TextArea.class);
    }

    static <T> List<T> components(Container container, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Component component : container.getComponents()) {
            if (type.isInstance(component)) {
                found.add(type.cast(component));
            } else if (component instanceof Container inner) {
                found.addAll(components(inner, type));
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    static List<TextField> fields(List<?> fields) {
        return (List<TextField>) fields;
    }

    static List<String> items(Choice choice) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < choice.getItemCount(); i++) {
            items.add(choice.getItem(i));
        }
        return items;
    }

    /**
     * Closes the plugin's error messages as they appear, keeping their text as facts {@code error.N},
     * so a failure ends a scenario instead of blocking it.
     */
    static void closeErrorMessages(Properties facts) {
        Thread watcher = new Thread(() -> {
            int count = 0;
            while (true) {
                for (Window window : Window.getWindows()) {
                    if (window instanceof Dialog message && message.isShowing()
                            && message.getTitle().startsWith("fijigen ")) {
                        // The plugin logs each message it shows: its last log line.
                        String[] log = String.valueOf(IJ.getLog()).split("\n");
                        facts.setProperty("error." + count++, log[log.length - 1]);
                        message.dispose();
                    }
                }
                IJ.wait(200);
            }
        }, "error message watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
