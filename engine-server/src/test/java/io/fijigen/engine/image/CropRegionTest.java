package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** Regions around masks for "only masked" inpainting: bounding boxes, crops and generation sizes. */
class CropRegionTest {

    @Test
    void aroundPadsTheBoundingBoxAndClampsAtTheBorder() {
        // A 20×12 mask touching the left border at (0, 5), reaching (8, 6), with a faint feather
        // value at (3, 2): anything > 0 counts. Box x 0..8, y 2..6; padding 3 gives x -3..11
        // (clamped to 0..11) and y -1..9 (clamped to 0..9).
        HostTensor mask = MasksTest.mask(12, 20);
        MasksTest.set(mask, 0, 5, 1f);
        MasksTest.set(mask, 8, 6, 1f);
        MasksTest.set(mask, 3, 2, 0.01f);
        assertThat(CropRegion.around(mask, 3)).isEqualTo(new CropRegion(0, 0, 12, 10));
        assertThat(CropRegion.around(mask, 0)).isEqualTo(new CropRegion(0, 2, 9, 5));
        // Padding larger than the image: the whole image.
        assertThat(CropRegion.around(mask, 50)).isEqualTo(new CropRegion(0, 0, 20, 12));
    }

    @Test
    void aroundTheBottomRightCornerClampsThere() {
        HostTensor mask = MasksTest.mask(12, 20);
        MasksTest.set(mask, 19, 11, 1f);
        assertThat(CropRegion.around(mask, 4)).isEqualTo(new CropRegion(15, 7, 5, 5));
    }

    @Test
    void anEmptyMaskHasNoRegion() {
        assertThatThrownBy(() -> CropRegion.around(MasksTest.mask(4, 4), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        HostTensor mask = MasksTest.mask(4, 4);
        MasksTest.set(mask, 1, 1, 1f);
        assertThatThrownBy(() -> CropRegion.around(mask, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void cropCopiesTheRegionOfEveryChannel() {
        // [1, 2, 4, 5] holding 100·c + 10·y + x.
        float[] data = new float[40];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    data[c * 20 + y * 5 + x] = 100 * c + 10 * y + x;
                }
            }
        }
        HostTensor cropped = new CropRegion(1, 2, 3, 2).crop(new HostTensor(data, new long[] {1, 2, 4, 5}));
        assertThat(cropped.shape()).containsExactly(1, 2, 2, 3);
        assertThat(cropped.data()).containsExactly(
                21, 22, 23, 31, 32, 33,
                121, 122, 123, 131, 132, 133);
    }

    @Test
    void aRegionOutsideTheImageIsRefused() {
        HostTensor image = new HostTensor(new float[3 * 4 * 5], new long[] {1, 3, 4, 5});
        assertThatThrownBy(() -> new CropRegion(3, 0, 3, 2).crop(image))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3×2 at (3, 0)").hasMessageContaining("5×4");
        assertThatThrownBy(() -> new CropRegion(0, 0, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive size");
    }

    @Test
    void generationSizeKeepsTheAspectWithinThePixelBudget() {
        // 100×50 into a 128×128 budget: scale √(16384 / 5000) = 1.810, giving 181.0 × 90.5; rounded
        // down to multiples of 8: 176 × 88 (15488 pixels, within the 16384 budget).
        assertThat(new CropRegion(0, 0, 100, 50).generationSize(128, 128, 8)).containsExactly(176, 88);
        // Portrait the same way round.
        assertThat(new CropRegion(0, 0, 50, 100).generationSize(128, 128, 8)).containsExactly(88, 176);
        // An exact scale stays exact: 64×64 into 512×512 is ×8, not 504 from a rounded square root.
        assertThat(new CropRegion(0, 0, 64, 64).generationSize(512, 512, 8)).containsExactly(512, 512);
        // A region larger than the budget shrinks: 1000×600 into 512×512 scales by √(262144 / 600000)
        // = 0.661: 660.99 × 396.59 → 656 × 392.
        assertThat(new CropRegion(0, 0, 1000, 600).generationSize(512, 512, 8)).containsExactly(656, 392);
    }

    @Test
    void generationSizeKeepsAtLeastOneMultipleAndAtMostTheEngineLimit() {
        // 4×2 into 8×8: 11.3 × 5.7 → 8 × 0, and the short side is raised to the minimum 8.
        assertThat(new CropRegion(0, 0, 4, 2).generationSize(8, 8, 8)).containsExactly(8, 8);
        // 4000×10 into 1024×1024 would be 20480 × 51; the long side is held at 4096, the short
        // side scaled with it to 10.24 → 8.
        assertThat(new CropRegion(0, 0, 4000, 10).generationSize(1024, 1024, 8))
                .containsExactly(ImageFiles.MAX_SIDE, 8);
        assertThatThrownBy(() -> new CropRegion(0, 0, 4, 4).generationSize(0, 8, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
