package io.fijigen.engine.text;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-character table, which CLIP's vocabulary is written in: every UTF-8 byte of a
 * pre-token becomes one printable character, so BPE never sees whitespace or control characters.
 */
public final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = buildTable();

    private ByteLevelAlphabet() {
    }

    /**
     * The 256 characters in the order CLIP's vocabulary numbers them: its ids 0–255 are these, and
     * 256–511 the same followed by {@code </w>}. Sorting works because the shifted characters all
     * come after the printable ones.
     */
    public static String characters() {
        char[] sorted = BYTE_TO_CHAR.clone();
        java.util.Arrays.sort(sorted);
        return new String(sorted);
    }

    /** The pre-token's UTF-8 bytes, one alphabet character per byte. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68
     * bytes (controls, space, no-break space, soft hyphen) take the characters from U+0100 on, in
     * byte order. That order is what the vocabulary's ids were trained against.
     */
    private static char[] buildTable() {
        char[] table = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = (char) (printable ? b : 256 + shifted++);
        }
        return table;
    }
}
