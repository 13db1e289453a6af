package io.fijigen.engine.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web UI's prompt weighting ({@code parse_prompt_attention} of AUTOMATIC1111's
 * stable-diffusion-webui): {@code (text)} multiplies the weight by 1.1, {@code [text]} divides it
 * by 1.1, {@code (text:1.3)} multiplies it by 1.3; brackets nest; {@code \(}, {@code \)},
 * {@code \[}, {@code \]} and {@code \\} are literal characters; a word {@code BREAK} ends the
 * current chunk. A bracket still open at the end applies to everything after it, a closing one
 * without its opener is text, and neighbouring runs of equal weight are merged.
 *
 * <p>Two deliberate differences: the web UI multiplies a {@code BREAK} inside brackets like text,
 * which turns it into the word "BREAK" with a negative weight; here it stays a break. And a weight
 * written as a non-number Python's float() would take ({@code (a:NaN)}, {@code (a:inf)}), which
 * the web UI's pattern leaves as text, is refused: it is a weight meant, and not a finite one.
 */
public final class PromptWeightParser {
    private static final double ROUND_FACTOR = 1.1;
    private static final double SQUARE_FACTOR = 1 / 1.1;

    // The reference's re_attention, alternative for alternative. Python's str patterns are
    // Unicode-aware (\d, \s, \b), hence UNICODE_CHARACTER_CLASS.
    private static final Pattern TOKEN = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:([+-]?[.\\d]+)\\)|\\)|]|[^\\\\()\\[\\]:]+|:",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NON_FINITE_WEIGHT = Pattern.compile(":\\s*([+-]?(?:nan|inf(?:inity)?))\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*", Pattern.UNICODE_CHARACTER_CLASS);

    private PromptWeightParser() {}

    /**
     * The prompt's runs; never empty ({@code [("", 1.0)]} for a prompt without text).
     *
     * @throws IllegalArgumentException if an explicit weight is not a number, or a weight overflows
     */
    public static List<WeightedText> parse(String prompt) {
        Matcher nonFinite = NON_FINITE_WEIGHT.matcher(prompt);
        if (nonFinite.find()) {
            throw new IllegalArgumentException("weight '" + nonFinite.group(1) + "' is not a finite number (write"
                    + " e.g. (word:1.2))");
        }
        List<Run> runs = new ArrayList<>();
        Deque<Integer> round = new ArrayDeque<>();
        Deque<Integer> square = new ArrayDeque<>();
        Matcher matcher = TOKEN.matcher(prompt);
        while (matcher.find()) {
            String token = matcher.group();
            String weight = matcher.group(1);
            if (token.startsWith("\\")) {
                runs.add(new Run(token.substring(1)));
            } else if (token.equals("(")) {
                round.push(runs.size());
            } else if (token.equals("[")) {
                square.push(runs.size());
            } else if (weight != null && !round.isEmpty()) {
                multiply(runs, round.pop(), number(weight));
            } else if (token.equals(")") && !round.isEmpty()) {
                multiply(runs, round.pop(), ROUND_FACTOR);
            } else if (token.equals("]") && !square.isEmpty()) {
                multiply(runs, square.pop(), SQUARE_FACTOR);
            } else {
                String[] parts = BREAK.split(token, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        runs.add(Run.chunkBreak());
                    }
                    runs.add(new Run(parts[i]));
                }
            }
        }
        // The reference closes what is left open from the outermost opener in, round before square.
        round.descendingIterator().forEachRemaining(start -> multiply(runs, start, ROUND_FACTOR));
        square.descendingIterator().forEachRemaining(start -> multiply(runs, start, SQUARE_FACTOR));
        if (runs.isEmpty()) {
            runs.add(new Run(""));
        }
        return merged(runs);
    }

    private static void multiply(List<Run> runs, int start, double factor) {
        for (Run run : runs.subList(start, runs.size())) {
            if (!run.chunkBreak) {
                run.weight *= factor;
            }
        }
    }

    private static List<WeightedText> merged(List<Run> runs) {
        List<WeightedText> result = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Run current = null;
        for (Run run : runs) {
            if (current != null && !current.chunkBreak && !run.chunkBreak && current.weight == run.weight) {
                text.append(run.text);
                continue;
            }
            if (current != null) {
                result.add(current.toWeightedText(text));
            }
            current = run;
            text.setLength(0);
            text.append(run.text);
        }
        result.add(current.toWeightedText(text));
        return result;
    }

    /** Python's float() on the digits and dots the pattern admits, Unicode digits included. */
    private static double number(String digits) {
        StringBuilder ascii = new StringBuilder();
        digits.codePoints().forEach(c -> ascii.append(Character.isDigit(c) ? (char) ('0' + Character.digit(c, 10))
                : (char) c));
        double value;
        try {
            value = Double.parseDouble(ascii.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weight '" + digits + "' is not a number (write e.g. (word:1.2))");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("weight '" + digits + "' is too large");
        }
        return value;
    }

    /** A run while its brackets are still being closed: the weight changes in place, as in the reference. */
    private static final class Run {
        final String text;
        final boolean chunkBreak;
        double weight = 1.0;

        Run(String text) {
            this(text, false);
        }

        private Run(String text, boolean chunkBreak) {
            this.text = text;
            this.chunkBreak = chunkBreak;
        }

        static Run chunkBreak() {
            return new Run("BREAK", true);
        }

        WeightedText toWeightedText(CharSequence mergedText) {
            if (chunkBreak) {
                return WeightedText.BREAK;
            }
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight of '" + mergedText + "' overflows: too many nested"
                        + " brackets or too large weights");
            }
            return WeightedText.of(mergedText.toString(), weight);
        }
    }
}
