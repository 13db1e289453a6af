package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.config.SafetyCheckerConfig;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code StableDiffusionSafetyChecker}: CLIP's image embedding compared by cosine
 * similarity with 17 concept embeddings and 3 "special care" ones, each against a threshold of
 * its own ({@code *_embeds_weights}). An image showing a concept is flagged.
 */
public final class StableDiffusionSafetyChecker {
    /** What a special-care hit adds to every concept score of that image: the reference's stricter check. */
    static final float SPECIAL_CARE_ADJUSTMENT = 0.01f;

    private final CLIPVisionModel visionModel;
    private final Linear visualProjection;
    /** The concept embeddings normalised once, transposed for the product: [projection_dim, 17] and [.., 3]. */
    private final NDArray conceptEmbedsT;
    private final NDArray specialCareEmbedsT;
    private final float[] conceptEmbedsWeights;
    private final float[] specialCareEmbedsWeights;

    public StableDiffusionSafetyChecker(SafetyCheckerConfig config, StateDict weights) {
        this.visionModel = new CLIPVisionModel(config.vision(), weights.scope("vision_model"));
        this.visualProjection = Linear.load(weights.scope("visual_projection"));
        NDArray conceptEmbeds = weights.get("concept_embeds");
        NDArray specialCareEmbeds = weights.get("special_care_embeds");
        this.conceptEmbedsT = normalize(conceptEmbeds).transpose();
        this.specialCareEmbedsT = normalize(specialCareEmbeds).transpose();
        this.conceptEmbedsWeights = thresholds(weights, "concept_embeds_weights", conceptEmbeds);
        this.specialCareEmbedsWeights = thresholds(weights, "special_care_embeds_weights", specialCareEmbeds);
    }

    /**
     * The reference's intermediate results, [B, projection_dim], [B, 17] and [B, 3]: the projected
     * image embedding and its cosine similarity with each concept (the reference calls them distances).
     */
    public record Output(NDArray imageEmbeds, NDArray cosDist, NDArray specialCosDist) {}

    /** {@code clipInput} is the CLIP image processor's [B, 3, 224, 224]. */
    public Output forward(NDArray clipInput) {
        NDArray pooled = visionModel.forward(clipInput).pooledOutput();
        NDArray imageEmbeds = visualProjection.forward(pooled);
        return new Output(imageEmbeds, cosineDistance(imageEmbeds, conceptEmbedsT),
                cosineDistance(imageEmbeds, specialCareEmbedsT));
    }

    /** The reference's {@code has_nsfw_concept}, one entry per image of {@code output}. */
    public boolean[] hasNsfwConcept(Output output) {
        int batch = (int) output.imageEmbeds().getShape().get(0);
        float[] cos = output.cosDist().toType(DataType.FLOAT32, false).toFloatArray();
        float[] special = output.specialCosDist().toType(DataType.FLOAT32, false).toFloatArray();
        boolean[] flagged = new boolean[batch];
        for (int i = 0; i < batch; i++) {
            flagged[i] = ConceptScores.hasNsfwConcept(row(cos, i, conceptEmbedsWeights.length), conceptEmbedsWeights,
                    row(special, i, specialCareEmbedsWeights.length), specialCareEmbedsWeights);
        }
        return flagged;
    }

    /** The reference's {@code cosine_distance}: both sides normalised, then image · conceptᵀ. */
    private static NDArray cosineDistance(NDArray imageEmbeds, NDArray normalizedConceptsT) {
        return Ops.scoped(imageEmbeds, () -> normalize(imageEmbeds).matMul(normalizedConceptsT));
    }

    /** F.normalize: each row over max(‖row‖, 1e-12). */
    private static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).maximum(1e-12f));
    }

    private static float[] thresholds(StateDict weights, String key, NDArray embeds) {
        float[] values = weights.get(key).toType(DataType.FLOAT32, false).toFloatArray();
        if (values.length != embeds.getShape().get(0)) {
            throw new IllegalArgumentException(key + " has " + values.length + " entries for "
                    + embeds.getShape().get(0) + " concept embeddings");
        }
        return values;
    }

    private static float[] row(float[] matrix, int index, int width) {
        float[] row = new float[width];
        System.arraycopy(matrix, index * width, row, 0, width);
        return row;
    }
}
