package io.fijigen.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reference quirks of normalisation and pre-tokenisation that the fixture prompts do not reach. */
class ClipTokenizerNormalizationTest {

    @Test
    void unicodeWhitespaceCollapsesToOneSpace() {
        assertThat(ClipPreTokenizer.normalize("a\u00a0\u3000 \t\nb\u2028c")).isEqualTo("a b c");
        assertThat(ClipPreTokenizer.split(" a\u00a0b ")).containsExactly("a", "b");
    }

    @Test
    void composesToNfcBeforeSplitting() {
        assertThat(ClipPreTokenizer.normalize("cafe\u0301")).isEqualTo("caf\u00e9");
    }

    @Test
    void lowercasesCharacterByCharacterLikeTheReference() {
        // Per character: no word-final ς, and İ keeps its combining dot.
        assertThat(ClipPreTokenizer.normalize("ΟΔΟΣ İ")).isEqualTo("οδοσ i\u0307");
    }

    @Test
    void splitsLettersDigitsAndPunctuationRuns() {
        assertThat(ClipPreTokenizer.split("it's 42nd,,, über-cool"))
                .containsExactly("it", "'s", "4", "2", "nd", ",,,", "über", "-", "cool");
    }

    @Test
    void byteLevelRegexSplitsLiteralSpecialTokensThatReachBpe() {
        assertThat(ClipPreTokenizer.split("x<|endoftext|>")).containsExactly("x", "<|", "endoftext", "|>");
    }

    @Test
    void byteLevelAlphabetShiftsNonPrintableBytes() {
        assertThat(ByteLevelAlphabet.encode("a b")).isEqualTo("a\u0120b");
        assertThat(ByteLevelAlphabet.encode("é")).isEqualTo("\u00c3\u00a9");
        assertThat(ByteLevelAlphabet.encode("\u0000")).isEqualTo("\u0100");
    }
}
