package io.fijigen.engine.text;

import static io.fijigen.engine.text.WeightedText.BREAK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The web UI's {@code parse_prompt_attention}: its documented examples and the edge cases of its
 * rules, with the weights as its double arithmetic gives them.
 */
class PromptWeightParserTest {

    private static WeightedText run(String text, double weight) {
        return WeightedText.of(text, weight);
    }

    @Test
    void plainTextIsOneRunOfWeightOne() {
        assertThat(PromptWeightParser.parse("normal text")).containsExactly(run("normal text", 1.0));
        assertThat(PromptWeightParser.parse("a:b, c")).containsExactly(run("a:b, c", 1.0));
    }

    @Test
    void roundBracketsMultiplyBy1point1AndSquareOnesDivide() {
        assertThat(PromptWeightParser.parse("an (important) word"))
                .containsExactly(run("an ", 1.0), run("important", 1.1), run(" word", 1.0));
        assertThat(PromptWeightParser.parse("((a))")).containsExactly(run("a", 1.2100000000000002));
        assertThat(PromptWeightParser.parse("[a]")).containsExactly(run("a", 0.9090909090909091));
        assertThat(PromptWeightParser.parse("[[a]]")).containsExactly(run("a", 0.8264462809917354));
    }

    @Test
    void explicitWeightsReplaceTheFactorAndNest() {
        assertThat(PromptWeightParser.parse("(a:1.3)")).containsExactly(run("a", 1.3));
        assertThat(PromptWeightParser.parse("((a:1.5))")).containsExactly(run("a", 1.6500000000000001));
        assertThat(PromptWeightParser.parse("(a:-0.5) b")).containsExactly(run("a", -0.5), run(" b", 1.0));
        assertThat(PromptWeightParser.parse("(a:+.5)")).containsExactly(run("a", 0.5));
        assertThat(PromptWeightParser.parse("(a:1.)")).containsExactly(run("a", 1.0));
        // Python's \d and float() accept any Unicode decimal digits.
        assertThat(PromptWeightParser.parse("(a:\u0661.\u0665)")).containsExactly(run("a", 1.5));
        // A weight inside square brackets is text.
        assertThat(PromptWeightParser.parse("a [b:0.5] c"))
                .containsExactly(run("a ", 1.0), run("b:0.5", 0.9090909090909091), run(" c", 1.0));
    }

    @Test
    void theReferencesNestedExample() {
        assertThat(PromptWeightParser.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).")).containsExactly(
                run("a ", 1.0), run("house", 1.5730000000000004), run(" ", 1.1), run("on", 1.0), run(" a ", 1.1),
                run("hill", 0.55), run(", sun, ", 1.1), run("sky", 1.4641000000000006), run(".", 1.1));
    }

    @Test
    void neighbouringRunsOfEqualWeightMerge() {
        assertThat(PromptWeightParser.parse("(unnecessary)(parens)")).containsExactly(run("unnecessaryparens", 1.1));
    }

    @Test
    void escapedBracketsAndBackslashesAreLiteralAndStillWeighted() {
        assertThat(PromptWeightParser.parse("\\(literal\\]")).containsExactly(run("(literal]", 1.0));
        assertThat(PromptWeightParser.parse("x\\\\y")).containsExactly(run("x\\y", 1.0));
        assertThat(PromptWeightParser.parse("(\\(a\\))")).containsExactly(run("(a)", 1.1));
        // A backslash before anything else is dropped, as the reference does.
        assertThat(PromptWeightParser.parse("a\\b")).containsExactly(run("ab", 1.0));
    }

    @Test
    void unbalancedBracketsAsTheReferenceTreatsThem() {
        assertThat(PromptWeightParser.parse("(unbalanced")).containsExactly(run("unbalanced", 1.1));
        assertThat(PromptWeightParser.parse("(a:1.2")).containsExactly(run("a:1.2", 1.1));
        assertThat(PromptWeightParser.parse("a)")).containsExactly(run("a)", 1.0));
        assertThat(PromptWeightParser.parse("a]")).containsExactly(run("a]", 1.0));
        assertThat(PromptWeightParser.parse("a:1.2)")).containsExactly(run("a:1.2)", 1.0));
        // Open round brackets are closed before open square ones: 1.1 · (1 / 1.1) is exactly 1.
        assertThat(PromptWeightParser.parse("([a")).containsExactly(run("a", 1.0));
        assertThat(PromptWeightParser.parse("[(a")).containsExactly(run("a", 1.0));
    }

    @Test
    void emptyPromptsAreOneEmptyRun() {
        assertThat(PromptWeightParser.parse("")).containsExactly(run("", 1.0));
        assertThat(PromptWeightParser.parse("()")).containsExactly(run("", 1.0));
        assertThat(PromptWeightParser.parse("[]")).containsExactly(run("", 1.0));
    }

    @Test
    void breakAsAWordSplitsTheRunsAndEatsTheSpaceAroundIt() {
        assertThat(PromptWeightParser.parse("a BREAK b")).containsExactly(run("a", 1.0), BREAK, run("b", 1.0));
        assertThat(PromptWeightParser.parse("BREAK")).containsExactly(run("", 1.0), BREAK, run("", 1.0));
        assertThat(PromptWeightParser.parse("aBREAK b")).containsExactly(run("aBREAK b", 1.0));
        assertThat(PromptWeightParser.parse("a_BREAK b")).containsExactly(run("a_BREAK b", 1.0));
        assertThat(PromptWeightParser.parse("a break b")).containsExactly(run("a break b", 1.0));
    }

    /** The one difference from the reference, which would make the word "BREAK" with weight -1.1. */
    @Test
    void breakInsideBracketsStaysABreak() {
        assertThat(PromptWeightParser.parse("(a BREAK b)")).containsExactly(run("a", 1.1), BREAK, run("b", 1.1));
    }

    @Test
    void aWeightThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> PromptWeightParser.parse("(a:1.2.3)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight '1.2.3'").hasMessageContaining("not a number");
        assertThatThrownBy(() -> PromptWeightParser.parse("(a:.)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight '.'");
    }

    /** The web UI would read these as text; a weight was meant, and it is not finite. */
    @Test
    void aNonFiniteWeightIsRefusedNotTakenAsText() {
        assertThatThrownBy(() -> PromptWeightParser.parse("(a:NaN) cat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight 'NaN' is not a finite number (write e.g. (word:1.2))");
        assertThatThrownBy(() -> PromptWeightParser.parse("(a: -Infinity)")).hasMessageContaining("'-Infinity'");
        assertThat(PromptWeightParser.parse("(nan:1.2)")).containsExactly(run("nan", 1.2));
    }

    @Test
    void aWeightThatOverflowsIsRefused() {
        assertThatThrownBy(() -> PromptWeightParser.parse("(a:" + "9".repeat(400) + ")"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> PromptWeightParser.parse("(".repeat(8000) + "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight of 'a' overflows");
    }
}
