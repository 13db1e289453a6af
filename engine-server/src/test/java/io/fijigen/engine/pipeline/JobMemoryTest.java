package io.fijigen.engine.pipeline;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.schedule.SchedulerChoice;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's memory estimate on tiny-sd15 and tiny-sdxl, whose VAEs are the same (widest level 64
 * channels): at 128² the decoder's peak is 128² × 64 × 3 live = 3,145,728 values, far above the
 * UNet's (2 guided × 16² × 32 × 5 live = 81,920), so the two differ only where SDXL's force_upcast
 * decodes in float32. tiny-x4-upscaler's decoder is as wide (64), at 4× its latents' grid.
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
        JobMemory.check(configs("tiny-sd15"), 2, request(1024), 0, null, budget);
        assertThatThrownBy(() -> JobMemory.check(configs("tiny-sdxl"), 2, request(1024), 0, null, budget))
                .isInstanceOf(JobMemory.JobMemoryException.class)
                .hasMessageContaining("about 192 MiB").hasMessageContaining("job budget of 144 MiB")
                .hasMessageContaining("1024×1024");
    }

    private static JobMemory.Upscaler x4() throws IOException {
        return new JobMemory.Upscaler(configs("tiny-x4-upscaler"), 4, UpscaleRequest.DEFAULT_TILING);
    }

    /**
     * A 64×48 hires fix ×2 on tiny-sd15 in float32: the first pass decodes 64·48 pixels, the second 128·96,
     * and the x4 model's decoder 4·64 × 4·48 (one tile of 128 holds its 64×48 latents), each × 64 channels ×
     * 3 live × 4 bytes. The x4 pass is the job's peak: 36 MiB, four times the second pass.
     */
    @Test
    void anX4HiresFixNeedsTheLargestOfItsThreePasses() throws IOException {
        GenerationRequest request = GenerationRequest.builder("a city").size(64, 48)
                .hires(new HiresOptions(2, 0, 0.5, new HiresUpscaler.X4("tiny-x4-upscaler", 2, 9, SchedulerChoice.named(null), null)))
                .build();
        long first = JobMemory.estimateBytes(configs("tiny-sd15"), 4, request, 0);
        long second = JobMemory.estimateBytes(configs("tiny-sd15"), 4, request.toBuilder().size(128, 96).build(), 0);
        long upscale = JobMemory.upscaleBytes(x4(), 64, 48, 1);

        assertThat(first).isEqualTo(64L * 48 * 64 * 3 * 4);
        assertThat(second).isEqualTo(128L * 96 * 64 * 3 * 4);
        assertThat(upscale).isEqualTo(256L * 192 * 64 * 3 * 4).isEqualTo(36L << 20);
        assertThat(JobMemory.jobBytes(configs("tiny-sd15"), 4, request, 0, x4()))
                .isEqualTo(Math.max(Math.max(first, second), upscale)).isEqualTo(upscale);
        // Without the x4 model the second pass is the peak, as before.
        assertThat(JobMemory.jobBytes(configs("tiny-sd15"), 4, request, 0, null)).isEqualTo(second);
    }

    /** The x4 model's UNet and decoder run in its tiles: beyond one tile, the image's size no longer counts. */
    @Test
    void anX4UpscaleNeedsOneTilesPeak() throws IOException {
        long tile = 512L * 512 * 64 * 3 * 4;
        assertThat(JobMemory.upscaleBytes(x4(), 128, 128, 1)).isEqualTo(tile);
        assertThat(JobMemory.upscaleBytes(x4(), 512, 384, 1)).isEqualTo(tile);
        assertThat(JobMemory.upscaleBytes(new JobMemory.Upscaler(configs("tiny-x4-upscaler"), 4, new Tiling(64, 16)),
                512, 384, 1)).isEqualTo(tile / 4);
    }

    @Test
    void aJobWhoseX4PassAloneExceedsTheBudgetIsRefusedNamingIt() throws IOException {
        GenerationRequest request = GenerationRequest.builder("a city").size(64, 48)
                .hires(new HiresOptions(2, 0, 0.5, new HiresUpscaler.X4("tiny-x4-upscaler", 2, 9, SchedulerChoice.named(null), null)))
                .build();
        long budget = 20L << 20;
        JobMemory.check(configs("tiny-sd15"), 4, request.toBuilder().hires(request.hires()
                .withUpscaler(new HiresUpscaler.Lanczos())).build(), 0, null, budget);

        assertThatThrownBy(() -> JobMemory.check(configs("tiny-sd15"), 4, request, 0, x4(), budget))
                .isInstanceOf(JobMemory.JobMemoryException.class)
                .hasMessage("the job would need about 36 MiB of device memory, more than this server's job budget of"
                        + " 20 MiB (the hires fix's x4 upscale of each 64×48 image to 256×192, in tiles of 128): ask"
                        + " for a smaller size or a hires upscaler other than an x4 model (lanczos or latent)");
        assertThatThrownBy(() -> JobMemory.checkUpscale(x4(), 64, 48, 1, budget))
                .isInstanceOf(JobMemory.JobMemoryException.class)
                .hasMessage("the job would need about 36 MiB of device memory, more than this server's job budget of"
                        + " 20 MiB (the x4 upscale of 1 image(s) of 64×48 to 256×192, in tiles of 128): ask for"
                        + " smaller tiles or a smaller image");
    }
}
