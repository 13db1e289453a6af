package io.fijigen.engine.nn;

/**
 * The safety checker's verdict on one image from its cosine similarities, as diffusers' loop
 * decides it: score = cos − threshold (+ 0.01 once a special-care concept has scored), rounded to
 * 3 decimals; the image is flagged when a (non-special) concept scores above 0.
 */
final class ConceptScores {
    private ConceptScores() {}

    static boolean hasNsfwConcept(float[] cosDist, float[] conceptThresholds, float[] specialCosDist,
            float[] specialThresholds) {
        float adjustment = 0;
        // The reference raises the adjustment inside its special-care loop, so a hit counts for the
        // special concepts after it as well as for every ordinary concept.
        for (int i = 0; i < specialCosDist.length; i++) {
            if (score(specialCosDist[i], specialThresholds[i], adjustment) > 0) {
                adjustment = StableDiffusionSafetyChecker.SPECIAL_CARE_ADJUSTMENT;
            }
        }
        for (int i = 0; i < cosDist.length; i++) {
            if (score(cosDist[i], conceptThresholds[i], adjustment) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code round(cos − threshold + adjustment, 3)} in float32, as numpy computes it on the
     * reference's float32 scores: a score below 0.0005 rounds to 0 and does not count.
     */
    static float score(float cos, float threshold, float adjustment) {
        float raw = cos - threshold + adjustment;
        return (float) (Math.rint(raw * 1000f) / 1000.0);
    }
}
