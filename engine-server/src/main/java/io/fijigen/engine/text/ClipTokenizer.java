package io.fijigen.engine.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * CLIP's byte-level BPE tokenizer, giving the same ids as Hugging Face's CLIPTokenizer for a
 * Stable Diffusion {@code tokenizer/} folder. Immutable and safe to share between threads.
 */
public final class ClipTokenizer {

    static final String DEFAULT_BOS = "<|startoftext|>";
    static final String DEFAULT_EOS = "<|endoftext|>";

    private final BytePairEncoder bpe;
    private final AddedVocabulary added;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int maxLength;
    private final int vocabSize;

    private ClipTokenizer(BytePairEncoder bpe, AddedVocabulary added, int bosId, int eosId, int padId,
            int maxLength, int vocabSize) {
        this.bpe = bpe;
        this.added = added;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.maxLength = maxLength;
        this.vocabSize = vocabSize;
    }

    /**
     * Reads a tokenizer folder: {@code tokenizer.json}, or {@code vocab.json} + {@code merges.txt};
     * plus {@code tokenizer_config.json} / {@code special_tokens_map.json} when present.
     *
     * @throws IOException if the folder or its files are missing or unreadable; the message names
     *     the folder or file
     */
    public static ClipTokenizer load(Path tokenizerDir) throws IOException {
        TokenizerFiles files = TokenizerFiles.read(tokenizerDir);
        TokenizerConfig config = TokenizerConfig.read(tokenizerDir);
        String bos = config.content("bos_token").orElse(DEFAULT_BOS);
        String eos = config.content("eos_token").orElse(DEFAULT_EOS);
        String unk = files.unkToken().or(() -> config.content("unk_token")).orElse(DEFAULT_EOS);

        List<AddedToken> candidates = new ArrayList<>(files.addedTokens());
        candidates.addAll(config.addedTokensDecoder());
        for (String role : TokenizerConfig.ROLES) {
            if (config.specialTokens().containsKey(role)) {
                candidates.add(config.specialTokens().get(role));
            }
        }
        // BOS and EOS are special even when no config file names them.
        candidates.add(AddedToken.special(bos));
        candidates.add(AddedToken.special(eos));
        AddedVocabulary added = AddedVocabulary.of(files.vocab(), candidates);

        BytePairEncoder bpe;
        try {
            bpe = new BytePairEncoder(files.vocab(), files.merges(), unk, files.source().toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        int eosId = added.idOf(eos);
        int padId = config.content("pad_token").map(added::idOf).orElse(files.padId().orElse(eosId));
        return new ClipTokenizer(bpe, added, added.idOf(bos), eosId, padId, config.maxLength(),
                vocabSize(files, added));
    }

    /**
     * This tokenizer with new tokens (textual inversion), numbered from {@link #vocabSize()} on in
     * the given order. As the reference's {@code add_tokens}, they are matched in the normalised
     * (lowercased) prompt before BPE.
     *
     * @throws IllegalArgumentException when a token is already in the vocabulary or an added token
     */
    public ClipTokenizer withAddedTokens(List<String> tokens) {
        List<AddedToken> all = new ArrayList<>();
        added.tokens().forEach(all::add);
        Set<String> known = new HashSet<>();
        all.forEach(token -> known.add(token.content()));
        int id = vocabSize;
        for (String token : tokens) {
            String content = ClipPreTokenizer.normalize(token);
            if (content.isBlank() || bpe.contains(content) || bpe.contains(content + BytePairEncoder.END_OF_WORD)
                    || !known.add(content)) {
                throw new IllegalArgumentException("token '" + token + "' is " + (content.isBlank() ? "empty"
                        : "already in the tokenizer's vocabulary") + " (rename the embedding)");
            }
            all.add(new AddedToken(content, id++, true));
        }
        return new ClipTokenizer(bpe, AddedVocabulary.of(Map.of(), all), bosId, eosId, padId, maxLength, id);
    }

    /** BOS, the prompt's ids, EOS; not truncated. */
    public int[] encode(String prompt) {
        IntStream.Builder ids = IntStream.builder();
        ids.add(bosId);
        for (AddedVocabulary.Segment raw : added.split(prompt, false)) {
            if (raw.isToken()) {
                ids.add(raw.tokenId());
                continue;
            }
            for (AddedVocabulary.Segment normalized : added.split(ClipPreTokenizer.normalize(raw.text()), true)) {
                if (normalized.isToken()) {
                    ids.add(normalized.tokenId());
                    continue;
                }
                for (String piece : ClipPreTokenizer.split(normalized.text())) {
                    for (int id : bpe.encode(ByteLevelAlphabet.encode(piece))) {
                        ids.add(id);
                    }
                }
            }
        }
        ids.add(eosId);
        return ids.build().toArray();
    }

    /**
     * Exactly {@code length} ids, as the text encoder takes them: content cut to {@code length - 2}
     * so BOS and EOS always stay, then padded with {@link #padId()}.
     */
    public long[] encodePadded(String prompt, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("length must leave room for BOS and EOS: " + length);
        }
        int[] ids = encode(prompt);
        int content = Math.min(ids.length - 2, length - 2);
        long[] padded = new long[length];
        Arrays.fill(padded, padId);
        for (int i = 0; i <= content; i++) {
            padded[i] = ids[i];
        }
        padded[content + 1] = eosId;
        return padded;
    }

    /** The vocabulary id of a BPE token such as {@code ",</w>"}, or -1 when the vocabulary lacks it. */
    public int vocabId(String token) {
        Integer id = bpe.vocabId(token);
        return id == null ? -1 : id;
    }

    /** {@code model_max_length} of tokenizer_config.json; 77 when absent. */
    public int maxLength() {
        return maxLength;
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    /** Ids in the vocabulary plus added tokens outside it, as {@code len(tokenizer)} counts them. */
    public int vocabSize() {
        return vocabSize;
    }

    private static int vocabSize(TokenizerFiles files, AddedVocabulary added) {
        Set<Integer> ids = new HashSet<>(files.vocab().values());
        for (AddedToken token : added.tokens()) {
            ids.add(token.id());
        }
        return ids.size();
    }
}
