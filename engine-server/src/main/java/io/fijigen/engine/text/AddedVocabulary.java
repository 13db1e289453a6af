package io.fijigen.engine.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The added tokens of a tokenizer with their final ids, and the splitting of text around them.
 * The reference matches tokens marked "not normalized" (all special tokens, by default) in the raw
 * prompt, and the others in each normalised stretch between those.
 */
final class AddedVocabulary {

    /** A stretch of text to pre-tokenise, or one added token. */
    record Segment(String text, int tokenId) {

        boolean isToken() {
            return text == null;
        }
    }

    private final Map<String, AddedToken> tokens;

    private AddedVocabulary(Map<String, AddedToken> tokens) {
        this.tokens = tokens;
    }

    /**
     * Registers the candidates in order; the first definition of a content wins. A candidate
     * without an id takes the vocabulary's id, or else the next id after everything known.
     */
    static AddedVocabulary of(Map<String, Integer> vocab, List<AddedToken> candidates) {
        int nextId = 1 + Math.max(
                vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1),
                candidates.stream().mapToInt(AddedToken::id).max().orElse(-1));
        Map<String, AddedToken> tokens = new LinkedHashMap<>();
        for (AddedToken candidate : candidates) {
            if (tokens.containsKey(candidate.content()) || candidate.content().isEmpty()) {
                continue;
            }
            int id = candidate.id();
            if (id == AddedToken.UNASSIGNED) {
                id = vocab.containsKey(candidate.content()) ? vocab.get(candidate.content()) : nextId++;
            }
            tokens.put(candidate.content(), new AddedToken(candidate.content(), id, candidate.normalized()));
        }
        return new AddedVocabulary(Collections.unmodifiableMap(tokens));
    }

    int idOf(String content) {
        AddedToken token = tokens.get(content);
        if (token == null) {
            throw new IllegalArgumentException("not an added token: '" + content + "'");
        }
        return token.id();
    }

    Iterable<AddedToken> tokens() {
        return tokens.values();
    }

    /**
     * Splits text around the added tokens whose {@code normalized} flag equals the given one.
     * Like the reference's Aho-Corasick matcher in leftmost-longest mode: the earliest match wins,
     * and among matches starting there the longest.
     */
    List<Segment> split(String text, boolean normalized) {
        List<Segment> segments = new ArrayList<>();
        int textStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = longestMatchAt(text, i, normalized);
            if (match == null) {
                i++;
                continue;
            }
            if (i > textStart) {
                segments.add(new Segment(text.substring(textStart, i), AddedToken.UNASSIGNED));
            }
            segments.add(new Segment(null, match.id()));
            i += match.content().length();
            textStart = i;
        }
        if (textStart < text.length()) {
            segments.add(new Segment(text.substring(textStart), AddedToken.UNASSIGNED));
        }
        return segments;
    }

    private AddedToken longestMatchAt(String text, int offset, boolean normalized) {
        AddedToken longest = null;
        for (AddedToken token : tokens.values()) {
            if (token.normalized() == normalized && text.startsWith(token.content(), offset)
                    && (longest == null || token.content().length() > longest.content().length())) {
                longest = token;
            }
        }
        return longest;
    }
}
