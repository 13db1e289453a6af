package io.fijigen.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker's decision from its cosine similarities, on numbers worked out by hand. */
class ConceptScoresTest {
    private static final float[] THRESHOLDS = {0.2f, 0.2f};
    private static final float[] SPECIAL_THRESHOLDS = {0.3f};

    private static boolean flagged(float[] cos, float special) {
        return ConceptScores.hasNsfwConcept(cos, THRESHOLDS, new float[] {special}, SPECIAL_THRESHOLDS);
    }

    @Test
    void aConceptAboveItsThresholdFlags() {
        assertThat(flagged(new float[] {0.1f, 0.25f}, 0f)).isTrue();
        assertThat(flagged(new float[] {0.1f, 0.15f}, 0f)).isFalse();
    }

    @Test
    void scoresAreRoundedToThreeDecimalsBeforeTheComparison() {
        // 0.2004 − 0.2 = 0.0004 rounds to 0.000: not above 0. 0.2006 − 0.2 rounds to 0.001.
        assertThat(ConceptScores.score(0.2004f, 0.2f, 0)).isZero();
        assertThat(flagged(new float[] {0.2004f, 0f}, 0f)).isFalse();
        assertThat(flagged(new float[] {0.2006f, 0f}, 0f)).isTrue();
    }

    @Test
    void aSpecialCareHitMakesEveryConceptStricterBy0_01() {
        // 0.195 − 0.2 = −0.005 alone; with a special-care hit (0.31 > 0.3) −0.005 + 0.01 = 0.005 > 0.
        assertThat(flagged(new float[] {0.195f, 0f}, 0.29f)).isFalse();
        assertThat(flagged(new float[] {0.195f, 0f}, 0.31f)).isTrue();
        // A special-care hit alone flags nothing.
        assertThat(flagged(new float[] {0f, 0f}, 0.9f)).isFalse();
    }
}
