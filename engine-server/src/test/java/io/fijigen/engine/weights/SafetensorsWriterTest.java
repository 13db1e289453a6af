package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir Path dir;
    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void padsHeaderWithSpacesToAMultipleOf8() throws IOException {
        Path file = dir.resolve("out.safetensors");
        SafetensorsWriter.write(file, Map.of("x", manager.create(new float[] {1})), Map.of("format", "pt"));
        long dataStart = RawSafetensors.dataStart(file);
        assertThat(dataStart % 8).isZero();
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, (int) dataStart - 8, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"x\":");
        assertThat(header.substring(header.lastIndexOf('}') + 1)).matches(" *");
        assertThat(bytes.length - dataStart).isEqualTo(4);
    }

    @Test
    void alignsEveryTensorToItsElementSize() throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("a_u8", manager.create(ByteBuffer.wrap(new byte[] {1, 2, 3}), new Shape(3), DataType.UINT8));
        tensors.put("b_f16", manager.create(new float[] {1, 2, 3}).toType(DataType.FLOAT16, false));
        tensors.put("c_f32", manager.create(new float[] {4, 5, 6}));
        tensors.put("d_f64", manager.create(new double[] {7}));
        tensors.put("e_i32", manager.create(new int[] {8}));
        tensors.put("f_i64", manager.create(new long[] {9}));
        Path file = dir.resolve("mixed.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("d_f64", "f_i64", "c_f32", "e_i32", "b_f16", "a_u8");
            for (String name : f.names()) {
                TensorInfo info = f.info(name);
                assertThat(info.begin() % info.dtype().bytes()).as(name).isZero();
            }
            assertThat(f.metadata()).isEmpty();
            assertThat(f.info("b_f16").dtype()).isEqualTo(TensorDtype.F16);
            assertThat(f.data("b_f16").getShort(2)).isEqualTo((short) 0x4000); // 2.0 in half precision
            assertThat(f.data("f_i64").getLong(0)).isEqualTo(9);
            assertThat(f.data("a_u8").get(2)).isEqualTo((byte) 3);
            assertThat(Arrays.asList(f.data("d_f64").getDouble(0), (double) f.data("c_f32").getFloat(8)))
                    .containsExactly(7.0, 6.0);
        }
    }

    @Test
    void rejectsTypesSafetensorsCannotHold() {
        NDArray flags = manager.create(new boolean[] {true});
        assertThatThrownBy(() -> SafetensorsWriter.write(dir.resolve("b.safetensors"), Map.of("flags", flags), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flags")
                .hasMessageContaining("BOOLEAN");
    }
}
