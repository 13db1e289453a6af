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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

    static final Path TINY_UNET = Path.of("src/test/resources/parity/models/tiny-sd15/unet");

    @TempDir Path dir;
    NDManager manager;

    @BeforeEach
    void newManager() {
        manager = NDManager.newBaseManager();
    }

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
            ByteBuffer direct = w.toByteBuffer(true);
            ByteBuffer mapped = raw.data("w");
            assertThat(direct.order(ByteOrder.LITTLE_ENDIAN)).isEqualTo(mapped);

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
