package io.fijigen.engine.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's normaliser and pre-tokeniser as the Hugging Face tokenizers pipeline runs them: NFC,
 * whitespace runs to one space, lowercase; then CLIP's split regex followed by the byte-level
 * pre-tokeniser's own GPT-2 regex.
 */
final class ClipPreTokenizer {

    /*
     * UNICODE_CHARACTER_CLASS makes \s the Unicode White_Space set (no-break space, U+3000, ...),
     * as in the reference's regex engines; plain Java \s would only match ASCII whitespace.
     * The patterns are case-sensitive: the reference runs them on already lowercased text.
     */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern CLIP_SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /*
     * The reference's ByteLevel pre-tokeniser (use_regex=true) splits each CLIP piece again with
     * GPT-2's pattern. On CLIP pieces that is a no-op except for a literal "<|startoftext|>" or
     * "<|endoftext|>" that reaches BPE (e.g. typed in capitals), which becomes "<|", word, "|>".
     */
    private static final Pattern BYTE_LEVEL_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private ClipPreTokenizer() {
    }

    /** NFC, every whitespace run to one space, lowercase. */
    static String normalize(String text) {
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        return lowercase(WHITESPACE.matcher(composed).replaceAll(" "));
    }

    /** The pre-tokens of normalised text; whitespace between them is dropped. */
    static List<String> split(String normalized) {
        List<String> pieces = new ArrayList<>();
        Matcher clip = CLIP_SPLIT.matcher(normalized);
        while (clip.find()) {
            Matcher byteLevel = BYTE_LEVEL_SPLIT.matcher(clip.group());
            while (byteLevel.find()) {
                pieces.add(byteLevel.group());
            }
        }
        return pieces;
    }

    /*
     * The reference lowercases character by character (Rust's char::to_lowercase), so a final
     * capital sigma becomes σ, not the ς that String.toLowerCase would give in context. Each code
     * point still gets its full mapping (İ -> i + combining dot).
     */
    private static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) Character.toLowerCase(cp));
            } else {
                out.append(Character.toString(cp).toLowerCase(Locale.ROOT));
            }
        });
        return out.toString();
    }
}
