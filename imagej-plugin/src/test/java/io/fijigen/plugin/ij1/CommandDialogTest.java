package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.Macro;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A command's dialog read from macro options, headless, as ImageJ's macro threads run it. */
class CommandDialogTest {

    /** The dialog's values as the reader sees them, and its macro options after. */
    private record Read(List<Object> values, String options) {}

    /** Builds the test dialog and reads it with {@code options} on a macro thread. */
    private static Read read(String options) throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            Macro.setOptions(options);
            try {
                CommandDialog dialog = new CommandDialog("Test...");
                dialog.addText("Prompt", "", true);
                dialog.addChoice("Model", List.of("a", "b"), "a");
                dialog.addNumber("Steps", 0, 0);
                dialog.addNumber("Guidance", 7.5, 1);
                dialog.addCheckbox("Random seed each run", false);
                List<Object> values = dialog.show(each -> List.<Object>of(each.nextString(), each.nextChoice(),
                        each.nextInt(), each.nextNumber(), each.nextBoolean())).orElseThrow();
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
}
