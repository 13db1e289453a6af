package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import io.fijigen.proto.client.JobListener;
import org.junit.jupiter.api.Test;

/** Statistics over a job's variants, made by a real engine on loopback, against values computed here. */
class VariantStatisticsTest extends LoopbackClientTestBase {

    @Test
    void fourVariantsGiveTheMeanAndStandardDeviationOfTheirPixels() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "cells").withSize(64, 48)
                .with(Generation.of("tiny-sd15", "cells").withSteps(2).withSeed(4).withImages(4).withStatistics(true));

        Inserted inserted = new GenerateAction(client).run(options, null, JobListener.NONE);

        ImageStack variants = inserted.image().getStack();
        ImageStack statistics = inserted.statistics().getStack();
        assertThat(variants.getSize()).isEqualTo(4);
        assertThat(statistics.getSize()).isEqualTo(6);
        assertThat(inserted.statistics().getTitle()).isEqualTo("[fijigen] statistics · " + inserted.image().getTitle());
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int i = 0; i < 64 * 48; i++) {
                double sum = 0;
                for (int v = 1; v <= 4; v++) {
                    sum += ((int[]) variants.getPixels(v))[i] >> shift & 0xff;
                }
                double mean = sum / 4;
                double squares = 0;
                for (int v = 1; v <= 4; v++) {
                    double d = (((int[]) variants.getPixels(v))[i] >> shift & 0xff) - mean;
                    squares += d * d;
                }
                assertThat((double) ((float[]) statistics.getPixels(1 + c))[i]).isCloseTo(mean, within(1e-4));
                assertThat((double) ((float[]) statistics.getPixels(4 + c))[i])
                        .isCloseTo(Math.sqrt(squares / 3), within(1e-4));
            }
        }
        // Noise from four draws differs: the spread is not zero everywhere.
        assertThat(statistics.getProcessor(4).getStatistics().max).isGreaterThan(0);
    }

    @Test
    void inpaintingVariantsAddWhereTheyDisagreeAndAgreeBeyondTheSelection() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        imp.setRoi(new Roi(24, 24, 16, 16));
        InpaintOptions options = InpaintOptions.of(Generation.of("tiny-sd15", "a cell").withSteps(2).withSeed(9)
                .withImages(3).withStatistics(true));

        Inserted inserted = new InpaintAction(client).run(options, imp, JobListener.NONE);

        ImageStack statistics = inserted.statistics().getStack();
        assertThat(statistics.getSliceLabel(7)).isEqualTo("disagreement");
        // The paste-back keeps the image's own pixels far from the selection: no spread there.
        assertThat(statistics.getProcessor(7).getf(0, 0)).isEqualTo(0f);
        // Inside the selection the seeds drew different pixels.
        assertThat(statistics.getProcessor(7).getStatistics().max).isGreaterThan(0);
    }
}
