package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.schedule.SchedulerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --scheduler}'s help lists the scheduler table's names, in its order. */
class SchedulerOptionHelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"generate", "upscale"})
    void helpListsTheTablesNames(String command) {
        CommandLine subcommand = FijigenCli.commandLine().getSubcommands().get(command);
        String help = String.join(" ", subcommand.getCommandSpec().findOption("--scheduler").description());
        System.out.println(command + " --scheduler: " + help);
        assertThat(help).isEqualTo(String.join(", ", SchedulerKind.ids()) + " (default: the model's own)");
        assertThat(help).startsWith("ddim, pndm, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, unipc, lms, heun, ddpm, lcm, tcd");
    }
}
