package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.IJ;
import ij.ImagePlus;
import io.fijigen.plugin.SliceRange.Mode;
import io.fijigen.plugin.SliceRange.Position;
import org.junit.jupiter.api.Test;

class SliceRangeTest {

    @Test
    void allPlanesOfAHyperstackComeInImageJsStackOrder() {
        ImagePlus imp = IJ.createHyperStack("h", 8, 8, 2, 1, 3, 16);

        SliceRange.Planes planes = SliceRange.all().planes(imp, true);

        assertThat(planes.size()).isEqualTo(6);
        assertThat(planes.positions()).startsWith(new Position(1, 1, 1), new Position(2, 1, 1), new Position(1, 1, 2));
        assertThat(new int[] {planes.channels(), planes.slices(), planes.frames()}).containsExactly(2, 1, 3);
        // ImageJ's own index of each position follows the list: 1, 2, 3 …
        for (int i = 0; i < planes.size(); i++) {
            Position p = planes.positions().get(i);
            assertThat(imp.getStackIndex(p.channel(), p.slice(), p.frame())).isEqualTo(i + 1);
        }
    }

    @Test
    void aRangeNamesChannelsSlicesAndFrames() {
        ImagePlus imp = IJ.createHyperStack("h", 8, 8, 2, 4, 3, 16);

        SliceRange.Planes planes = new SliceRange(Mode.RANGE, "2", "2-3", "").planes(imp, true);

        assertThat(planes.positions()).containsExactly(new Position(2, 2, 1), new Position(2, 3, 1),
                new Position(2, 2, 2), new Position(2, 3, 2), new Position(2, 2, 3), new Position(2, 3, 3));
        assertThat(new int[] {planes.channels(), planes.slices(), planes.frames()}).containsExactly(1, 2, 3);
    }

    @Test
    void theCurrentPlaneAndChannelsRenderedTogether() {
        ImagePlus imp = IJ.createHyperStack("h", 8, 8, 3, 2, 2, 8);
        imp.setPosition(2, 2, 1);

        assertThat(SliceRange.CURRENT.planes(imp, true).positions()).containsExactly(new Position(2, 2, 1));
        // Channels rendered as one RGB image: one position per slice and frame, at the current channel.
        SliceRange.Planes rendered = SliceRange.all().planes(imp, false);
        assertThat(rendered.size()).isEqualTo(4);
        assertThat(rendered.channels()).isEqualTo(1);
        assertThat(rendered.positions()).allMatch(p -> p.channel() == 2);
    }

    @Test
    void aPlainStackIsSlices() {
        ImagePlus imp = IJ.createImage("s", "16-bit black", 8, 8, 3);

        assertThat(SliceRange.all().planes(imp, true).positions())
                .containsExactly(new Position(1, 1, 1), new Position(1, 2, 1), new Position(1, 3, 1));
    }

    @Test
    void aRangeOutsideTheImageNamesTheDimensionAndItsSize() {
        ImagePlus imp = IJ.createImage("s", "16-bit black", 8, 8, 3);

        assertThatThrownBy(() -> new SliceRange(Mode.RANGE, "", "2-5", "").planes(imp, true))
                .hasMessageContaining("slices: '2-5'").hasMessageContaining("1-3");
        assertThatThrownBy(() -> new SliceRange(Mode.RANGE, "", "x", "").planes(imp, true))
                .hasMessageContaining("slices: 'x'");
        assertThatThrownBy(() -> Mode.of("everything")).hasMessageContaining("current slice, all slices, range");
        assertThat(Mode.of("All Slices")).isEqualTo(Mode.ALL);
    }
}
