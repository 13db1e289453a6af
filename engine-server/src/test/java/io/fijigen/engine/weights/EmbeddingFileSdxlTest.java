package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDXL textual inversion ({@code clip_l} and {@code clip_g}, one set of vectors per text encoder,
 * the token being the file's name), at the tiny fixtures' widths (32 and 32; real files 768 and 1280).
 */
class EmbeddingFileSdxlTest {
    @TempDir
    Path dir;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void bothVectorSetsAreReadUnderTheFilesName() throws Exception {
        NDArray clipL = manager.arange(0f, 64f).reshape(2, 32);
        NDArray clipG = manager.arange(100f, 164f).reshape(2, 32);
        Path file = write("neon-style.safetensors", Map.of("clip_l", clipL, "clip_g", clipG));

        EmbeddingFile.SdxlEmbedding embedding = EmbeddingFile.readSdxl(file, manager);

        assertThat(EmbeddingFile.isSdxl(file)).isTrue();
        assertThat(embedding.token()).isEqualTo("neon-style");
        assertThat(embedding.textEncoder().getShape()).isEqualTo(new Shape(2, 32));
        assertThat(embedding.textEncoder().toFloatArray()).containsExactly(clipL.toFloatArray());
        assertThat(embedding.textEncoder2().getShape()).isEqualTo(new Shape(2, 32));
        assertThat(embedding.textEncoder2().toFloatArray()).containsExactly(clipG.toFloatArray());
        assertThat(EmbeddingFile.shapes(file)).containsOnlyKeys("neon-style (text_encoder)", "neon-style (text_encoder_2)")
                .allSatisfy((token, shape) -> assertThat(shape).containsExactly(2, 32));
    }

    @Test
    void oneVectorMayBeStoredWithoutItsCount() throws Exception {
        Path file = write("one.safetensors", Map.of("clip_l", manager.ones(new Shape(32)),
                "clip_g", manager.zeros(new Shape(1, 32))));

        EmbeddingFile.SdxlEmbedding embedding = EmbeddingFile.readSdxl(file, manager);

        assertThat(embedding.textEncoder().getShape()).isEqualTo(new Shape(1, 32));
        assertThat(embedding.textEncoder().toFloatArray()).containsOnly(1f);
        assertThat(embedding.textEncoder2().getShape()).isEqualTo(new Shape(1, 32));
    }

    @Test
    void filesThatAreNotWholeSdxlEmbeddingsAreRefusedNamingWhatIsWrong() throws Exception {
        Path half = write("half.safetensors", Map.of("clip_l", manager.ones(new Shape(2, 32))));
        Path uneven = write("uneven.safetensors", Map.of("clip_l", manager.ones(new Shape(2, 32)),
                "clip_g", manager.ones(new Shape(3, 32))));
        Path sd = write("sd.safetensors", Map.of("emb_params", manager.ones(new Shape(2, 32))));

        assertThatThrownBy(() -> EmbeddingFile.readSdxl(half, manager)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedding half.safetensors has no clip_g tensor");
        assertThatThrownBy(() -> EmbeddingFile.readSdxl(uneven, manager))
                .hasMessageContaining("has 2 clip_l vectors but 3 clip_g vectors");
        assertThatThrownBy(() -> EmbeddingFile.readSdxl(sd, manager))
                .hasMessageContaining("tensor 'emb_params' is not clip_l or clip_g");
        assertThatThrownBy(() -> EmbeddingFile.read(uneven, manager))
                .hasMessageContaining("embedding uneven.safetensors is for SDXL")
                .hasMessageContaining("one set of vectors per SDXL text encoder");
        assertThat(EmbeddingFile.isSdxl(sd)).isFalse();
    }

    private Path write(String name, Map<String, NDArray> tensors) throws Exception {
        Path file = dir.resolve(name);
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }
}
