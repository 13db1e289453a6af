package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

    static final Path TINY_UNET = Path.of("src/test/resources/parity/models/tiny-sd15/unet");

    @TempDir Path dir;
    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void loadsHalfPrecisionUnetAsFloat32() throws IOException {
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT32);
                SafetensorsFile raw = SafetensorsFile.open(TINY_UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            NDArray weight = unet.get("conv_in.weight");

            assertThat(weight.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(weight.getShape()).isEqualTo(new Shape(32, 4, 3, 3));
            float[] values = weight.toFloatArray();
            ByteBuffer bits = raw.data("conv_in.weight");
            for (int i = 0; i < values.length; i++) {
                assertThat(values[i]).isEqualTo(halfToFloat(bits.getShort(2 * i)));
            }
            // Decoded with numpy from the file's first and last halves (0xb14a, 0x3018).
            assertThat(values[0]).isEqualTo(-0.165283203125f);
            assertThat(values[values.length - 1]).isEqualTo(0.1279296875f);
            assertThat(unet.get("conv_in.weight")).isSameAs(weight);
        }
    }

    @Test
    void keepsHalfPrecisionForFloat16Target() throws IOException {
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT16)) {
            NDArray weight = unet.get("conv_in.weight");
            assertThat(weight.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(weight.toType(DataType.FLOAT32, false).getFloat(0, 0, 0, 0)).isEqualTo(-0.165283203125f);
        }
    }

    @Test
    void widensBfloat16() throws IOException {
        // 0x3F80 = 1.0, 0xC040 = -3.0, 0x3E20 = 0.15625, 0x7F80 = +inf, 0x0001 = smallest subnormal.
        Path file = RawSafetensors.write(dir.resolve("bf16.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                        + "\"s\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[10,12]}}",
                RawSafetensors.shorts(0x3F80, 0xC040, 0x3E20, 0x7F80, 0x0001, 0xBF00));
        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT32)) {
            NDArray w = sd.get("w");
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(w.toFloatArray())
                    .containsExactly(1.0f, -3.0f, 0.15625f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000));
            assertThat(sd.get("s").getShape()).isEqualTo(new Shape());
            assertThat(sd.get("s").getFloat()).isEqualTo(-0.5f);
        }
        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT16)) {
            NDArray w = sd.get("w");
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(w.toType(DataType.FLOAT32, false).toFloatArray())
                    .startsWith(1.0f, -3.0f, 0.15625f, Float.POSITIVE_INFINITY);
        }
    }

    @Test
    void widensBfloat16LargerThanOneChunk() throws IOException {
        int n = 200_000; // more than the 65536 elements widened per step
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) {
            bits[i] = Float.floatToIntBits(i) >>> 16; // integers below 256 are exact in bf16
        }
        Path file = RawSafetensors.write(dir.resolve("bf16.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]}}",
                RawSafetensors.shorts(bits));
        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT32)) {
            float[] values = sd.get("w").toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat(Float.floatToIntBits(values[i])).isEqualTo(bits[i] << 16);
            }
            assertThat(values[255]).isEqualTo(255f);
        }
    }

    @Test
    void float32IsNarrowedForFloat16Target() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(file, Map.of("w", manager.create(new float[] {0.5f, 70000f})), Map.of());
        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT16)) {
            NDArray w = sd.get("w");
            assertThat(w.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(w.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(0.5f, Float.POSITIVE_INFINITY);
        }
    }

    @Test
    void scopesCompose() throws IOException {
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT32)) {
            StateDict block = unet.scope("down_blocks.0");
            StateDict resnet = block.scope("resnets").scope("0");
            assertThat(unet.prefix()).isEmpty();
            assertThat(block.prefix()).isEqualTo("down_blocks.0");
            assertThat(resnet.prefix()).isEqualTo("down_blocks.0.resnets.0");
            assertThat(resnet.get("conv1.weight")).isSameAs(unet.get("down_blocks.0.resnets.0.conv1.weight"));
            assertThat(resnet.has("conv1.weight")).isTrue();
            assertThat(resnet.has("down_blocks.0.resnets.0.conv1.weight")).isFalse();
            assertThat(resnet.keys()).contains("conv1.weight", "conv1.bias", "norm1.weight")
                    .allSatisfy(k -> assertThat(unet.has("down_blocks.0.resnets.0." + k)).isTrue());
            // A scope matches whole key segments: "conv" is not a prefix of "conv1.weight".
            assertThat(unet.scope("down_blocks.0.resnets.0.conv").keys()).isEmpty();
            assertThat(resnet.infos()).extracting(TensorInfo::name)
                    .allMatch(name -> name.startsWith("down_blocks.0.resnets.0."));
            assertThatThrownBy(() -> unet.scope("down_blocks.")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void keysAndInfosCoverTheWholeComponent() throws IOException {
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT32)) {
            assertThat(unet.keys()).hasSize(684).startsWith("conv_in.bias", "conv_in.weight");
            assertThat(unet.infos()).hasSize(684).extracting(TensorInfo::dtype).containsOnly(TensorDtype.F16);
            assertThat(unet.has("conv_in.weight")).isTrue();
            assertThat(unet.has("conv_in.nope")).isFalse();
        }
    }

    @Test
    void reloadsAnArrayThatWasClosed() throws IOException {
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT32)) {
            NDArray first = unet.get("conv_in.bias");
            float value = first.getFloat(0);
            first.close();
            NDArray again = unet.get("conv_in.bias");
            assertThat(again).isNotSameAs(first);
            assertThat(again.getFloat(0)).isEqualTo(value);
        }
    }

    @Test
    void loadedArraysOutliveTheStateDict() throws IOException {
        NDArray weight;
        try (StateDict unet = StateDict.openComponent(TINY_UNET, manager, DataType.FLOAT16)) {
            weight = unet.get("conv_in.weight"); // a zero-copy view of the mapping
            unet.scope("conv_in").close(); // a scope does not own the files
            assertThat(unet.get("conv_in.bias")).isNotNull();
        }
        assertThat(weight.toType(DataType.FLOAT32, false).getFloat(0, 0, 0, 0)).isEqualTo(-0.165283203125f);
    }

    @Test
    void opensShardedComponentFromItsIndex() throws IOException {
        Path unet = Files.createDirectory(dir.resolve("unet"));
        SafetensorsWriter.write(unet.resolve("diffusion_pytorch_model-00001-of-00002.safetensors"),
                Map.of("a.weight", manager.create(new float[] {1, 2})), Map.of());
        SafetensorsWriter.write(unet.resolve("diffusion_pytorch_model-00002-of-00002.safetensors"),
                Map.of("b.weight", manager.create(new float[] {3}), "b.bias", manager.create(new float[] {4})), Map.of());
        Files.writeString(unet.resolve("diffusion_pytorch_model.safetensors.index.json"), """
                {"metadata": {"total_size": 16},
                 "weight_map": {"a.weight": "diffusion_pytorch_model-00001-of-00002.safetensors",
                                "b.bias": "diffusion_pytorch_model-00002-of-00002.safetensors",
                                "b.weight": "diffusion_pytorch_model-00002-of-00002.safetensors"}}
                """);
        // A half-precision variant of the same weights must not be picked.
        SafetensorsWriter.write(unet.resolve("diffusion_pytorch_model.fp16.safetensors"),
                Map.of("a.weight", manager.create(new float[] {9, 9}).toType(DataType.FLOAT16, false)), Map.of());

        try (StateDict sd = StateDict.openComponent(unet, manager, DataType.FLOAT32)) {
            assertThat(sd.keys()).containsExactlyInAnyOrder("a.weight", "b.weight", "b.bias");
            assertThat(sd.get("a.weight").toFloatArray()).containsExactly(1f, 2f);
            assertThat(sd.scope("b").get("weight").getFloat(0)).isEqualTo(3f);
            assertThat(sd.scope("b").get("bias").getFloat(0)).isEqualTo(4f);
        }
    }

    @Test
    void prefersFullPrecisionFileOverVariant() throws IOException {
        Path encoder = Files.createDirectory(dir.resolve("text_encoder"));
        SafetensorsWriter.write(encoder.resolve("model.fp16.safetensors"),
                Map.of("w", manager.create(new float[] {9}).toType(DataType.FLOAT16, false)), Map.of());
        try (StateDict sd = StateDict.openComponent(encoder, manager, DataType.FLOAT32)) {
            assertThat(sd.get("w").getFloat(0)).isEqualTo(9f); // only the variant: use it
        }
        SafetensorsWriter.write(encoder.resolve("model.safetensors"), Map.of("w", manager.create(new float[] {1})), Map.of());
        try (StateDict sd = StateDict.openComponent(encoder, manager, DataType.FLOAT32)) {
            assertThat(sd.get("w").getFloat(0)).isEqualTo(1f);
        }
    }

    @Test
    void loadsEmptyTensors() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("empty.safetensors"),
                "{\"e\":{\"dtype\":\"F32\",\"shape\":[2,0],\"data_offsets\":[0,0]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[0,0]}}",
                new byte[0]);
        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT32)) {
            assertThat(sd.get("e").getShape()).isEqualTo(new Shape(2, 0));
            assertThat(sd.get("h").getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(sd.get("h").size()).isZero();
        }
    }

    /** IEEE 754 binary16 to float, by hand: Float.float16ToFloat is Java 20+. */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h >>> 15) == 0 ? 1 : -1;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            return sign * mantissa * 0x1p-24f;
        }
        if (exponent == 31) {
            return mantissa == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
        }
        return sign * (1 + mantissa / 1024f) * (float) Math.pow(2, exponent - 15);
    }

    @Test
    void float32LoadsZeroCopyAndRoundTripsThroughWriter() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", manager.create(new float[] {1.5f, -2.25f, 3e-7f, 65504f, -0f, 7f}, new Shape(2, 3)));
        tensors.put("scalar", manager.create(42.5f));
        tensors.put("ids", manager.create(new long[] {49406, 320, 49407}));
        tensors.put("i32", manager.create(new int[] {-1, 2}));
        tensors.put("u8", manager.create(ByteBuffer.wrap(new byte[] {0, (byte) 255}), new Shape(2), DataType.UINT8));
        tensors.put("f64", manager.create(new double[] {0.1, 1e300}));
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        try (StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT32);
                SafetensorsFile raw = SafetensorsFile.open(file)) {
            NDArray w = sd.get("w");
            assertThat(w.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(w.toFloatArray()).containsExactly(1.5f, -2.25f, 3e-7f, 65504f, -0f, 7f);
            assertThat(w.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN)).isEqualTo(raw.data("w"));

            // Zero copy: the array is the shared file mapping, so a write to the file shows in it.
            long wAt = RawSafetensors.dataStart(file) + raw.info("w").begin();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 99f), wAt);
            }
            assertThat(w.getFloat(0, 0)).isEqualTo(99f);

            NDArray scalar = sd.get("scalar");
            assertThat(scalar.getShape()).isEqualTo(new Shape());
            assertThat(scalar.getFloat()).isEqualTo(42.5f);
            assertThat(sd.get("ids").getDataType()).isEqualTo(DataType.INT64);
            assertThat(sd.get("ids").toLongArray()).containsExactly(49406, 320, 49407);
            assertThat(sd.get("i32").toIntArray()).containsExactly(-1, 2);
            assertThat(sd.get("u8").toUint8Array()).containsExactly(0, 255);
            assertThat(sd.get("f64").getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(sd.get("f64").toFloatArray()).containsExactly(0.1f, Float.POSITIVE_INFINITY);
            assertThat(raw.metadata()).containsExactly(Map.entry("format", "pt"));
        }
    }
}
