package io.fijigen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VAE decode as jobs run it: an fp16 decode that overflows is redone in float32. */
class VaeDecoderTest {
    /**
     * A VAE whose decoder input layer is 1000× the tiny one's, on latents 1000× the usual: its
     * activations leave fp16's range (65504), as SD's VAE's do at some latents, while every weight
     * and latent is still representable: the fp16 VAE alone gives NaN; the decoder redoes the
     * decode in float32, with the weights loaded again in float32, and gives what a float32 VAE gives.
     */
    @Test
    void overflowingDecodeIsRedoneInFloat32(@TempDir Path dir) throws IOException {
        Path vaeDir = ParityFixtures.model("tiny-sd15").resolve("vae");
        AutoencoderKLConfig config = AutoencoderKLConfig.read(vaeDir.resolve("config.json"));
        Path weights = dir.resolve("vae.safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict original = StateDict.openComponent(vaeDir, manager, DataType.FLOAT32)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String key : original.keys()) {
                tensors.put(key, key.startsWith("decoder.conv_in.") ? original.get(key).mul(1000f) : original.get(key));
            }
            SafetensorsWriter.write(weights, tensors, Map.of());
        }
        Float32Vae.Source source = (manager, type) -> {
            try (StateDict state = StateDict.open(List.of(weights), manager, type)) {
                return new AutoencoderKL(config, state);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            // fp16-representable, so the fp16 and float32 runs start from the same values.
            NDArray latents = manager.randomNormal(new Shape(1, 4, 8, 8)).mul(1000f).toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false);
            AutoencoderKL halfVae = source.load(manager, DataType.FLOAT16);
            NDArray overflowed = halfVae.decode(latents.toType(DataType.FLOAT16, false));
            assertThat(overflowed.isNaN().logicalOr(overflowed.isInfinite()).any().getBoolean()).isTrue();

            VaeDecoder decoder = new VaeDecoder(halfVae, DataType.FLOAT16, new Float32Vae(manager, source), false);
            NDArray redone = decoder.decode(latents.toType(DataType.FLOAT16, false));
            // Float32 latents, as pipelines keep them, are redone without being consumed.
            NDArray again = decoder.decode(latents);
            assertThat(latents.isReleased()).isFalse();
            assertThat(again.toFloatArray()).containsExactly(redone.toFloatArray());
            NDArray reference = source.load(manager, DataType.FLOAT32).decode(latents);
            assertThat(redone.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(redone.isNaN().any().getBoolean()).isFalse();
            assertThat(redone.toFloatArray()).containsExactly(reference.toFloatArray());
        }
    }
}
