package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.Macro;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Normalisation;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A command's dialog read from macro options, headless, as ImageJ's macro threads run it. */
class CommandDialogTest {

    /** The dialog's values as the reader sees them, and its macro options after. */
    private record Read(List<Object> values, String options) {}

    /** Builds the test dialog and reads it with {@code options} on a macro thread. */
    private static Read read(String options) throws Exception {
        return read(options, dialog -> {
            dialog.addText("Prompt", "", true);
            dialog.addChoice("Model", List.of("a", "b"), "a");
            dialog.addNumber("Steps", 0, 0);
            dialog.addNumber("Guidance", 7.5, 1);
            dialog.addCheckbox("Random seed each run", false);
        }, each -> List.of(each.nextString(), each.nextChoice(), each.nextInt(), each.nextNumber(),
                each.nextBoolean()));
    }

    /** Builds a dialog with {@code fields} and reads it with {@code options} and {@code reader} on a macro thread. */
    private static Read read(String options, Consumer<CommandDialog> fields, CommandDialog.Reader<List<Object>> reader)
            throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            Macro.setOptions(options);
            try {
                CommandDialog dialog = new CommandDialog("Test...");
                fields.accept(dialog);
                List<Object> values = dialog.show(reader).orElseThrow();
                outcome.set(new Read(values, dialog.macroOptions()));
            } catch (RuntimeException e) {
                outcome.set(e);
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_command dialog test");
        thread.start();
        thread.join();
        if (outcome.get() instanceof RuntimeException e) {
            throw e;
        }
        return (Read) outcome.get();
    }

    private static Read readGrey(String options) throws Exception {
        return read(options, GreyFields::add, each -> List.of(GreyFields.read(each)));
    }

    @Test
    void keysLeftOutTakeTheDefaultsAndTheOptionsReadBackRunTheSame() throws Exception {
        Read read = read("prompt=[two cells] steps=4");
        assertThat(read.values()).containsExactly("two cells", "a", 4, 7.5, false);
        assertThat(read.options()).isEqualTo("prompt=[two cells] model=[a] steps=4 guidance=7.5");

        Read again = read(read.options() + " random");
        assertThat(again.values()).containsExactly("two cells", "a", 4, 7.5, true);
        assertThat(again.options()).isEqualTo(read.options() + " random");
    }

    @Test
    void aWrongNumberNamesItsKeyAndWhatItHeld() {
        assertThatThrownBy(() -> read("steps=many")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps: 'many' is not a number");
        assertThatThrownBy(() -> read("steps=2.5")).hasMessage("steps: 2.5 is not a whole number");
    }

    @Test
    void theGreyFieldsDefaultToTheDisplayRangeAndTheirKeysRunTheSameAgain() throws Exception {
        // A macro thread's options: a line that leaves every grey key out gets the defaults.
        Read defaults = readGrey("prompt=[x]");
        assertThat(defaults.values()).containsExactly(GreyOptions.DEFAULT);
        assertThat(defaults.options())
                .isEqualTo("normalisation=[display range] lower=1 upper=99.8 composite=[RGB rendering]");

        Read read = readGrey("normalisation=percentiles lower=2 upper=99.5 composite=[channel as grey]");
        assertThat(read.values()).containsExactly(new GreyOptions(Normalisation.percentiles(2, 99.5), true));
        assertThat(read.options())
                .isEqualTo("normalisation=[percentiles] lower=2 upper=99.5 composite=[channel as grey]");
        assertThat(readGrey(read.options()).values()).isEqualTo(read.values());

        assertThatThrownBy(() -> readGrey("normalisation=percentiles lower=50 upper=20"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentiles: need 0 ≤ lower < upper ≤ 100, got lower 50, upper 20");
    }
}
