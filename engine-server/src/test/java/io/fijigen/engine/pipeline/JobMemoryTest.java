package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.PipelineConfigs;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A job's memory estimate on tiny-sd15 and tiny-sdxl, whose VAEs are the same (widest level 64
 * channels): at 128² the decoder's peak is 128² × 64 × 3 live = 3,145,728 values, far above the
 * UNet's (2 guided × 16² × 32 × 5 live = 81,920), so the two differ only where SDXL's force_upcast
 * decodes in float32.
 */
class JobMemoryTest {
    private static final long DECODER_VALUES = 128L * 128 * 64 * 3;

    private static PipelineConfigs configs(String model) throws IOException {
        return PipelineConfigs.read(ParityFixtures.model(model), Optional.empty());
    }

    private static GenerationRequest request(int side) {
        return GenerationRequest.builder("a city").size(side, side).build();
    }

    @Test
    void anFp16SdxlJobDecodesInFloat32SoNeedsTwiceAnSdJob() throws IOException {
        assertThat(JobMemory.estimateBytes(configs("tiny-sd15"), 2, request(128), 0)).isEqualTo(DECODER_VALUES * 2);
        assertThat(JobMemory.estimateBytes(configs("tiny-sdxl"), 2, request(128), 0)).isEqualTo(DECODER_VALUES * 4);
        assertThat(JobMemory.estimateBytes(configs("tiny-sdxl-inpaint"), 2, request(128), 0))
                .isEqualTo(DECODER_VALUES * 4);
    }

    @Test
    void inFloat32TheFamiliesNeedTheSame() throws IOException {
        assertThat(JobMemory.estimateBytes(configs("tiny-sdxl"), 4, request(128), 0))
                .isEqualTo(JobMemory.estimateBytes(configs("tiny-sd15"), 4, request(128), 0))
                .isEqualTo(DECODER_VALUES * 4);
    }

    /** 1024², SDXL's own size, is decoded in 512² tiles: one tile's peak, in float32 for SDXL. */
    @Test
    void aLargeSdxlJobIsRefusedWhereTheSameSdJobFits() throws IOException {
        long tile = 512L * 512 * 64 * 3;
        assertThat(JobMemory.estimateBytes(configs("tiny-sdxl"), 2, request(1024), 0)).isEqualTo(tile * 4);
        assertThat(JobMemory.estimateBytes(configs("tiny-sd15"), 2, request(1024), 0)).isEqualTo(tile * 2);
        long budget = tile * 3;
        JobMemory.check(configs("tiny-sd15"), 2, request(1024), 0, budget);
        assertThatThrownBy(() -> JobMemory.check(configs("tiny-sdxl"), 2, request(1024), 0, budget))
                .isInstanceOf(JobMemory.JobMemoryException.class)
                .hasMessageContaining("about 192 MiB").hasMessageContaining("job budget of 144 MiB")
                .hasMessageContaining("1024×1024");
    }
}
