package io.fijigen.plugin.ij1;

import ij.Prefs;
import java.util.ArrayList;
import java.util.List;

/** The prompts last run, newest first, kept in ImageJ's preferences across sessions. */
final class RecentPrompts {
    static final int KEPT = 10;
    private static final String KEY = "fijigen.prompt.";

    private RecentPrompts() {}

    static List<String> list() {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < KEPT; i++) {
            String prompt = Prefs.get(KEY + i, null);
            if (prompt == null) {
                break;
            }
            prompts.add(unescape(prompt));
        }
        return prompts;
    }

    /** Puts {@code prompt} first (once); blank prompts are not kept. */
    static void add(String prompt) {
        if (prompt.isBlank()) {
            return;
        }
        List<String> prompts = list();
        prompts.remove(prompt);
        prompts.add(0, prompt);
        for (int i = 0; i < Math.min(prompts.size(), KEPT); i++) {
            Prefs.set(KEY + i, escape(prompts.get(i)));
        }
    }

    // The preferences file holds one line per key.
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i) == 'n' ? '\n' : text.charAt(i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
