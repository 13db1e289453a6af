package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.pipeline.MicroConditioning.Offset;
import io.fijigen.engine.pipeline.MicroConditioning.Size;
import org.junit.jupiter.api.Test;

/** SDXL's add_time_ids from the micro-conditioning, against the rows of {@code unetxl.time_ids}. */
class MicroConditioningTest {

    @Test
    void defaultsAreTheOutputSizeAndNoCrop() {
        assertThat(MicroConditioning.DEFAULT.timeIds(128, 128, false)).containsExactly(128, 128, 0, 0, 128, 128);
        assertThat(MicroConditioning.DEFAULT.timeIds(96, 64, true)).containsExactly(64, 96, 0, 0, 64, 96);
        assertThat(MicroConditioning.DEFAULT.isSet()).isFalse();
    }

    /** Row 1 of the fixture's time ids: original 192×256 (w×h), crop (16, 32), target 112×96. */
    @Test
    void givenSizesAreTheFixturesSecondRowAndTheNegativeFollowsThem() {
        MicroConditioning sizes = new MicroConditioning(new Size(192, 256), new Offset(16, 32), new Size(112, 96),
                null, null, null);
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            float[] row1 = session.golden("unetxl.time_ids").get(1).toFloatArray();
            assertThat(sizes.timeIds(128, 128, false)).containsExactly(row1);
            assertThat(sizes.timeIds(128, 128, true)).containsExactly(row1);
        }
        MicroConditioning negative = new MicroConditioning(null, null, null, new Size(512, 512), null, null);
        assertThat(negative.timeIds(128, 64, false)).containsExactly(64, 128, 0, 0, 64, 128);
        assertThat(negative.timeIds(128, 64, true)).containsExactly(512, 512, 0, 0, 64, 128);
        assertThat(negative.firstField()).isEqualTo("negative_original_size");
    }

    @Test
    void sizesOutOfRangeAreRefusedNamingTheSide() {
        assertThatThrownBy(() -> new Size(0, 64)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("width: 0 is outside 1..16384");
        assertThatThrownBy(() -> new Offset(-1, 0)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("top: -1 is outside 0..16384");
    }
}
