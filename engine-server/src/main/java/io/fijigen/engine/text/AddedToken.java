package io.fijigen.engine.text;

/**
 * A token matched literally in the prompt before BPE (BOS, EOS, pad, entries of
 * {@code added_tokens}).
 *
 * @param content the literal text
 * @param id its id, or {@link #UNASSIGNED} to take the vocabulary's id (or a new one)
 * @param normalized whether it is matched in the normalised text rather than the raw prompt
 */
record AddedToken(String content, int id, boolean normalized) {

    static final int UNASSIGNED = -1;

    /** A special token named by content only: matched in the raw prompt, as the reference's default. */
    static AddedToken special(String content) {
        return new AddedToken(content, UNASSIGNED, false);
    }
}
