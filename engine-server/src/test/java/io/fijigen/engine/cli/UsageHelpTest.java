package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The usage help of every command, as {@code --help} prints it: no default shown as "null", no
 * unresolved variable, and options that take one of a few words labelled with those words.
 */
class UsageHelpTest {
    /** The options whose value is one of a few words, and the words; a label such as PATH would contradict them. */
    private static final Map<String, String> CHOICES = Map.of(
            "--kernels", "torchscript|plain",
            "--device", "cpu|gpu",
            "--dtype", "fp32|fp16",
            "--prediction-type", "epsilon|v_prediction",
            "--timestep-spacing", "leading|linspace|trailing");

    private static List<CommandLine> everyCommand(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().values().forEach(sub -> all.addAll(everyCommand(sub)));
        return all;
    }

    @Test
    void noHelpShowsANullDefaultOrAnUnresolvedVariable() {
        List<CommandLine> commands = everyCommand(FijigenCli.commandLine());
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName()).containsExactlyInAnyOrder(
                "fijigen", "fijigen generate", "fijigen upscale", "fijigen canny", "fijigen serve",
                "fijigen models", "fijigen download", "fijigen bench");
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = command.getCommandSpec().qualifiedName();
            System.out.printf("%s --help: %d lines, %d options%n", name, help.lines().count(),
                    command.getCommandSpec().options().size());
            assertThat(help).as(name).doesNotContainIgnoringCase("null").doesNotContain("${");
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertThat(String.join(" ", option.description())).as(name + " " + option.longestName())
                        .isNotBlank();
            }
        }
    }

    @Test
    void optionsTakingOneOfAFewWordsAreLabelledWithThem() {
        int checked = 0;
        for (CommandLine command : everyCommand(FijigenCli.commandLine())) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).doesNotContain("=PATH");
            for (OptionSpec option : command.getCommandSpec().options()) {
                String words = CHOICES.get(option.longestName());
                if (words != null) {
                    assertThat(option.paramLabel()).as(command.getCommandSpec().qualifiedName() + " "
                            + option.longestName()).isEqualTo(words);
                    assertThat(help).contains(option.longestName() + "=" + words);
                    checked++;
                }
            }
        }
        // --kernels on all 8 commands, --device on generate, upscale, bench and serve, --dtype on generate, upscale and
        // bench, --prediction-type on 2, --timestep-spacing on generate and upscale.
        assertThat(checked).isEqualTo(8 + 4 + 3 + 2 + 2);
    }

    @Test
    void upscaleSaysWhatItDoesWithoutAModel() {
        CommandLine upscale = FijigenCli.commandLine().getSubcommands().get("upscale");
        OptionSpec model = upscale.getCommandSpec().findOption("--model");
        assertThat(model.required()).isFalse();
        assertThat(String.join(" ", model.description())).doesNotContain("required");
        String help = upscale.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help).contains("[--model=MODEL]").contains("without --model, by Lanczos resampling alone");
        assertThat(FijigenCli.commandLine().getSubcommands().get("generate").getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("Needs --model.");
    }
}
