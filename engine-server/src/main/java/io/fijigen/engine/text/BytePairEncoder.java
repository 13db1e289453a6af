package io.fijigen.engine.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's BPE model: the byte-level characters of one pre-token, the last one carrying the
 * end-of-word suffix, merged pair by pair in merge-rank order into vocabulary ids.
 */
final class BytePairEncoder {

    static final String END_OF_WORD = "</w>";

    /** Like the reference's cache: bounded, and full means "stop adding", not "evict". */
    private static final int CACHE_CAPACITY = 10_000;

    private record Merge(int rank, int mergedId) {
    }

    private final Map<String, Integer> vocab;
    private final Map<Long, Merge> merges;
    private final String unkToken;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param merges pairs in rank order (index = rank)
     * @param source the file the merges come from, named in error messages
     * @throws IllegalArgumentException if a merge uses or makes a token the vocabulary lacks
     */
    BytePairEncoder(Map<String, Integer> vocab, List<String[]> merges, String unkToken, String source) {
        this.vocab = vocab;
        this.unkToken = unkToken;
        this.merges = new HashMap<>(merges.size() * 2);
        for (int rank = 0; rank < merges.size(); rank++) {
            String left = merges.get(rank)[0];
            String right = merges.get(rank)[1];
            Integer leftId = vocab.get(left);
            Integer rightId = vocab.get(right);
            Integer mergedId = vocab.get(left + right);
            if (leftId == null || rightId == null || mergedId == null) {
                throw new IllegalArgumentException(source + ": merge #" + (rank + 1) + " '" + left + " " + right
                        + "' uses or makes a token that is not in the vocabulary");
            }
            // A repeated pair keeps its last rank, as the reference's dict/HashMap construction does.
            this.merges.put(pairKey(leftId, rightId), new Merge(rank, mergedId));
        }
    }

    boolean contains(String token) {
        return vocab.containsKey(token);
    }

    /** Vocabulary ids of one pre-token already mapped through {@link ByteLevelAlphabet}. */
    int[] encode(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        int[] ids = merge(initialSymbols(word));
        if (cache.size() < CACHE_CAPACITY) {
            cache.put(word, ids);
        }
        return ids;
    }

    /** The id of a vocabulary entry ({@code ",</w>"} for a comma ending a word), or null. */
    Integer vocabId(String token) {
        return vocab.get(token);
    }

    /** One symbol per character; the last one is looked up with the end-of-word suffix. */
    private int[] initialSymbols(String word) {
        int[] symbols = new int[word.codePointCount(0, word.length())];
        int index = 0;
        for (int i = 0; i < word.length(); ) {
            int next = word.offsetByCodePoints(i, 1);
            String symbol = word.substring(i, next);
            symbols[index++] = idOf(next == word.length() ? symbol + END_OF_WORD : symbol);
            i = next;
        }
        return symbols;
    }

    /*
     * The reference's bpe(): find the adjacent pair with the lowest rank, merge all of its
     * non-overlapping occurrences left to right, repeat until no adjacent pair has a rank.
     */
    private int[] merge(int[] symbols) {
        int length = symbols.length;
        while (length > 1) {
            Merge best = null;
            long bestKey = 0;
            for (int i = 0; i + 1 < length; i++) {
                long key = pairKey(symbols[i], symbols[i + 1]);
                Merge merge = merges.get(key);
                if (merge != null && (best == null || merge.rank() < best.rank())) {
                    best = merge;
                    bestKey = key;
                }
            }
            if (best == null) {
                break;
            }
            int written = 0;
            for (int i = 0; i < length; i++) {
                if (i + 1 < length && pairKey(symbols[i], symbols[i + 1]) == bestKey) {
                    symbols[written++] = best.mergedId();
                    i++;
                } else {
                    symbols[written++] = symbols[i];
                }
            }
            length = written;
        }
        return length == symbols.length ? symbols : Arrays.copyOf(symbols, length);
    }

    /** A symbol missing from the vocabulary becomes the unknown token, as in the reference. */
    private int idOf(String symbol) {
        Integer id = vocab.get(symbol);
        if (id == null) {
            id = vocab.get(unkToken);
            if (id == null) {
                throw new IllegalArgumentException("symbol '" + symbol + "' is not in the vocabulary, and neither is"
                        + " the unknown token '" + unkToken + "'");
            }
        }
        return id;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }
}
