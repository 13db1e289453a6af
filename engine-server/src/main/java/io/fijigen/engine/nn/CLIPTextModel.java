package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.weights.Parameter;
import io.fijigen.engine.weights.StateDict;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * transformers' {@code CLIPTextModel}: token + position embeddings, causally masked encoder layers,
 * final layer norm. Weights are found with or without the {@code text_model.} key prefix: published
 * SD 1.x folders have it, newer tools save without it.
 */
public final class CLIPTextModel {
    private static final String PREFIX = "text_model";

    private final ClipTextConfig config;
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final CLIPEncoder encoder;
    private final LayerNorm finalLayerNorm;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    public CLIPTextModel(ClipTextConfig config, StateDict weights) {
        this.config = config;
        StateDict model = weights.has(PREFIX + ".embeddings.token_embedding.weight") ? weights.scope(PREFIX) : weights;
        this.tokenEmbedding = model.get("embeddings.token_embedding.weight");
        this.positionEmbedding = model.get("embeddings.position_embedding.weight");
        this.encoder = new CLIPEncoder(model.scope("encoder"), config.numHiddenLayers(), config.numAttentionHeads(),
                config.layerNormEps(), config.hiddenAct());
        this.finalLayerNorm = new LayerNorm(model.scope("final_layer_norm"), config.layerNormEps());
        model.parameters().forEach((key, parameter) -> parameters.put(PREFIX + "." + key, parameter));
    }

    /**
     * The weights of its Linear layers by transformers' key, always with the {@code text_model.}
     * prefix (as LoRAs name them) whichever key style the file has.
     */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public ClipTextConfig config() {
        return config;
    }

    /** The reference's outputs for one batch of token ids. */
    public record Output(NDArray lastHiddenState, NDArray pooledOutput) {}

    /** {@code inputIds} is [B, S] int64 (S ≤ max_position_embeddings). */
    public Output forward(NDArray inputIds) {
        return forward(inputIds, null);
    }

    /** {@link #forward(NDArray)} with textual-inversion tokens, as {@link #encode(NDArray, int, NDArray)} has them. */
    public Output forward(NDArray inputIds, NDArray addedTokens) {
        NDArray last = encode(inputIds, 1, addedTokens);
        return new Output(last, pooled(last, inputIds));
    }

    /**
     * The hidden states {@code layersFromEnd} layers before the end, through the final layer norm:
     * 1 is {@code last_hidden_state}, 2 the penultimate layer ("clip skip 2" in web UIs, which SD 2
     * and many SD 1.x fine-tunes use). Layers after it are not computed.
     */
    public NDArray encode(NDArray inputIds, int layersFromEnd) {
        return encode(inputIds, layersFromEnd, null);
    }

    /**
     * {@link #encode(NDArray, int)} where ids from the token embedding's row count on look up
     * {@code addedTokens} [n, hidden] instead (textual-inversion tokens); null for none.
     */
    public NDArray encode(NDArray inputIds, int layersFromEnd, NDArray addedTokens) {
        return Ops.scoped(inputIds, () -> finalLayerNorm.forward(hiddenStates(inputIds, layersFromEnd, addedTokens)));
    }

    /**
     * transformers' {@code hidden_states[-layersFromEnd]} (with {@code output_hidden_states}): the
     * output of the layer {@code layersFromEnd} before the end, not through the final layer norm.
     * SDXL's prompt embeddings are {@code hidden_states[-2]} of both its encoders, taken so.
     * Layers after it are not computed; {@code addedTokens} as in {@link #encode(NDArray, int, NDArray)}.
     */
    public NDArray hiddenStates(NDArray inputIds, int layersFromEnd, NDArray addedTokens) {
        if (layersFromEnd < 1 || layersFromEnd > encoder.numLayers()) {
            throw new IllegalArgumentException("clip skip " + layersFromEnd + " is outside 1.." + encoder.numLayers());
        }
        long length = inputIds.getShape().get(1);
        if (length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt has " + length + " tokens, the text encoder takes at most "
                    + config.maxPositionEmbeddings());
        }
        return Ops.scoped(inputIds, () -> {
            NDManager manager = inputIds.getManager();
            NDArray positions = positionEmbedding.get(new NDIndex(":{}", length));
            positions.attach(manager);
            NDArray h = tokenEmbeddings(inputIds.toType(DataType.INT64, false), addedTokens).add(positions);
            return encoder.forward(h, causalMask(manager, length), encoder.numLayers() - layersFromEnd + 1);
        });
    }

    /** A layer's raw hidden states and the pooled output of the same pass (see {@link #hiddenStatesAndPooled}). */
    public record HiddenStatesAndPooled(NDArray hiddenStates, NDArray pooledOutput) {}

    /**
     * {@link #hiddenStates} and {@link Output#pooledOutput()} in one pass: the layers after {@code
     * layersFromEnd} go on from its hidden states, rather than the whole encoder running again for
     * the pooled row (SDXL's second encoder gives both for its first chunk).
     */
    public HiddenStatesAndPooled hiddenStatesAndPooled(NDArray inputIds, int layersFromEnd, NDArray addedTokens) {
        NDArray hidden = hiddenStates(inputIds, layersFromEnd, addedTokens);
        NDArray pooled = Ops.scoped(hidden, () -> {
            long length = inputIds.getShape().get(1);
            NDArray last = encoder.forward(hidden, causalMask(hidden.getManager(), length),
                    encoder.numLayers() - layersFromEnd + 1, encoder.numLayers());
            return pooled(finalLayerNorm.forward(last), inputIds);
        });
        return new HiddenStatesAndPooled(hidden, pooled);
    }

    /** Rows are selected, never mixed arithmetically, so an added token equal to a word embeds exactly as it. */
    private NDArray tokenEmbeddings(NDArray ids, NDArray addedTokens) {
        if (addedTokens == null) {
            return Ops.embedding(ids, tokenEmbedding);
        }
        long rows = tokenEmbedding.getShape().get(0);
        long added = addedTokens.getShape().get(0);
        NDArray known = Ops.embedding(ids.clip(0, rows - 1), tokenEmbedding);
        // Embedding files are read in float32; an fp16 text encoder takes its rows in fp16.
        NDArray inverted = Ops.embedding(ids.sub(rows).clip(0, added - 1),
                addedTokens.toType(tokenEmbedding.getDataType(), false));
        return NDArrays.where(ids.gte(rows).expandDims(-1).broadcast(known.getShape()), inverted, known);
    }

    /**
     * The row of each sequence's first end-of-text token. Configs from before transformers fixed
     * this (eos_token_id 2) take the highest id instead, which is also EOS in CLIP's vocabulary.
     * Textual-inversion tokens (ids past the vocabulary) are no candidates: transformers would pool
     * at such a token (its argmax; diffusers issue 10754), which makes SDXL's pooled embedding that
     * token's hidden state rather than the prompt's; at the EOS, a token that embeds as a word pools
     * as the word does.
     */
    private NDArray pooled(NDArray hidden, NDArray inputIds) {
        long[] ids = inputIds.toType(DataType.INT64, false).toLongArray();
        long batch = inputIds.getShape().get(0);
        long length = inputIds.getShape().get(1);
        long[] rows = new long[(int) batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = b * length + eosPosition(ids, b * length, length);
        }
        return Ops.scoped(hidden, () -> {
            NDArray index = hidden.getManager().create(rows);
            return hidden.reshape(batch * length, -1).get(index);
        });
    }

    private long eosPosition(long[] ids, long start, long length) {
        long vocabularyRows = tokenEmbedding.getShape().get(0);
        long best = 0;
        for (int i = 0; i < length; i++) {
            long id = ids[(int) (start + i)];
            if (config.eosTokenId() == 2) {
                if (id > ids[(int) (start + best)] && id < vocabularyRows) {
                    best = i;
                }
            } else if (id == config.eosTokenId()) {
                return i;
            }
        }
        return best;
    }

    /** Additive mask: 0 on and below the diagonal, a large negative number above (no peeking ahead). */
    private static NDArray causalMask(NDManager manager, long length) {
        float[] values = new float[(int) (length * length)];
        for (int row = 0; row < length; row++) {
            for (int col = row + 1; col < length; col++) {
                values[(int) (row * length + col)] = -Float.MAX_VALUE;
            }
        }
        return manager.create(values, new Shape(1, 1, length, length));
    }
}
