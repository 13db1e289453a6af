package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.model.StableDiffusion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * clip_skip's limit comes from the model: SD's is its text encoder's layers (3 in the tiny
 * models), SDXL's one less (2), its prompt embeddings being the penultimate layer already. The
 * configs the server checks with (folder and single file) and the loaded model agree, and the
 * limit is the deepest layer SDXL's encoders can give.
 */
class ClipSkipLimitTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");
    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");

    @TempDir
    Path dir;

    @Test
    void configsGiveEachFamilysLimit() throws Exception {
        PipelineConfigs sd = PipelineConfigs.read(ParityFixtures.model("tiny-sd15"), Optional.empty());
        assertThat(sd.family()).isEqualTo(ModelFamily.SD);
        assertThat(sd.textEncoder2()).isNull();
        assertThat(sd.maxClipSkip()).isEqualTo(3).isEqualTo(sd15.get().maxClipSkip());

        PipelineConfigs xl = PipelineConfigs.read(ParityFixtures.model("tiny-sdxl"), Optional.empty());
        assertThat(xl.family()).isEqualTo(ModelFamily.SDXL);
        assertThat(xl.textEncoder2().projectionDim()).isEqualTo(32);
        assertThat(xl.maxClipSkip()).isEqualTo(2).isEqualTo(sdxl.get().maxClipSkip());

        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), dir.resolve("tiny-sdxl.safetensors"));
        Files.writeString(dir.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        PipelineConfigs single = PipelineConfigs.read(file, Optional.empty());
        assertThat(single.family()).isEqualTo(ModelFamily.SDXL);
        assertThat(single.textEncoder2()).usingRecursiveComparison().isEqualTo(xl.textEncoder2());
        assertThat(single.maxClipSkip()).isEqualTo(2);
    }

    @Test
    void aClipSkipPastTheModelsLimitIsRefusedWithTheRange() {
        RequestLimits.check(request(3), 8, sd15.get().maxClipSkip());
        assertThatThrownBy(() -> RequestLimits.check(request(4), 8, sd15.get().maxClipSkip()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("clip_skip"))
                .hasMessage("clip_skip: 4 is outside 1..3");

        RequestLimits.check(request(2), 8, sdxl.get().maxClipSkip());
        assertThatThrownBy(() -> RequestLimits.check(request(3), 8, sdxl.get().maxClipSkip()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("clip_skip"))
                .hasMessage("clip_skip: 3 is outside 1..2");
    }

    /** SDXL's clip skip 2 takes both encoders' first layer (third from the end); 3 would be the embeddings. */
    @Test
    void sdxlsLimitIsTheDeepestLayerItsEncodersGive() {
        StableDiffusion model = sdxl.get();
        SdxlPromptEncoder prompts = SdxlPromptEncoder.of(model);
        int limit = model.maxClipSkip();
        assertThat(prompts.encode(session.manager, "a cat", null, 1, false, limit).promptEmbeds().getShape())
                .isEqualTo(new Shape(1, 77, 64));
        assertThatThrownBy(() -> prompts.encode(session.manager, "a cat", null, 1, false, limit + 1))
                .hasMessageContaining("clip skip 4 is outside 1..3");
    }

    private static GenerationRequest request(int clipSkip) {
        return GenerationRequest.builder("a cat").clipSkip(clipSkip).size(128, 128).steps(4).build();
    }
}
