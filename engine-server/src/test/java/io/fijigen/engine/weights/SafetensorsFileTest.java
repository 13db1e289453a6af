package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the parity goldens, written by the reference Python implementation. */
class SafetensorsFileTest {

    static final Path GOLDENS = Path.of("src/test/resources/parity/goldens.safetensors");

    SafetensorsFile goldens;

    @BeforeEach
    void open() throws IOException {
        goldens = SafetensorsFile.open(GOLDENS);
    }

    @AfterEach
    void close() {
        goldens.close();
    }

    @Test
    void listsTensorsInHeaderOrder() {
        assertThat(goldens.path()).isEqualTo(GOLDENS);
        assertThat(goldens.names()).hasSize(96).startsWith("canny.edges_100_200", "canny.edges_10_60");
        assertThat(goldens.contains("unet.sample")).isTrue();
        assertThat(goldens.contains("unet")).isFalse();
        assertThat(goldens.metadata()).isEmpty();
        assertThat(goldens.mappingCount()).isEqualTo(1);
    }

    @Test
    void describesEntries() {
        assertInfo("te15.input_ids", TensorDtype.I64, 2, 77);
        assertInfo("canny.input_rgb_u8", TensorDtype.U8, 128, 128, 3);
        assertInfo("sched.ddim.timesteps", TensorDtype.F64, 10);
        assertInfo("unet.sample", TensorDtype.F32, 2, 4, 16, 16);
        TensorInfo ids = goldens.info("te15.input_ids");
        assertThat(ids.begin()).isEqualTo(4303264);
        assertThat(ids.end()).isEqualTo(4304496);
        assertThat(ids.elementCount()).isEqualTo(154);
    }

    private void assertInfo(String name, TensorDtype dtype, long... shape) {
        TensorInfo info = goldens.info(name);
        assertThat(info.name()).isEqualTo(name);
        assertThat(info.dtype()).isEqualTo(dtype);
        assertThat(info.shape()).containsExactly(shape);
        assertThat(goldens.data(name).remaining()).isEqualTo(info.elementCount() * dtype.bytes());
    }

    // Expected values below were decoded from the file with numpy during development.

    @Test
    void readsTokenIds() {
        ByteBuffer ids = goldens.data("te15.input_ids");
        assertThat(ids.getLong(0)).isEqualTo(49406); // BOS
        assertThat(ids.getLong(8)).isEqualTo(320);
        assertThat(ids.getLong(ids.limit() - 8)).isEqualTo(49407); // EOS / padding
    }

    @Test
    void readsBytes() {
        ByteBuffer rgb = goldens.data("canny.input_rgb_u8");
        assertThat(new int[] {rgb.get(0), rgb.get(1), rgb.get(2), rgb.get(rgb.limit() - 1)})
                .containsExactly(14, 20, 30, 23);
    }

    @Test
    void readsDoubles() {
        ByteBuffer timesteps = goldens.data("sched.ddim.timesteps");
        assertThat(timesteps.getDouble(0)).isEqualTo(901.0);
        assertThat(timesteps.getDouble(8)).isEqualTo(801.0);
        assertThat(timesteps.getDouble(72)).isEqualTo(1.0);
    }

    @Test
    void readsFloats() {
        ByteBuffer sample = goldens.data("unet.sample");
        assertThat(sample.getFloat(0)).isEqualTo(-0.13201288878917694f);
        assertThat(sample.getFloat(4)).isEqualTo(-0.1254376322031021f);
        assertThat(sample.getFloat(8)).isEqualTo(0.3443123996257782f);
        assertThat(sample.getFloat(sample.limit() - 4)).isEqualTo(-0.9550512433052063f);
    }

    @Test
    void dataIsAReadOnlyLittleEndianSliceOfTheMapping() {
        ByteBuffer data = goldens.data("unet.sample");
        assertThat(data.isDirect()).isTrue();
        assertThat(data.isReadOnly()).isTrue();
        assertThat(data.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.position()).isZero();
        assertThat(data.limit()).isEqualTo(2 * 4 * 16 * 16 * 4);
        // Each call is an independent view: moving one does not move the next.
        data.getFloat();
        assertThat(goldens.data("unet.sample").position()).isZero();
    }

    @Test
    void missingTensorNamesTensorAndFile() {
        assertThatThrownBy(() -> goldens.info("unet.nope"))
                .isInstanceOf(MissingTensorException.class)
                .hasMessageContaining("unet.nope")
                .hasMessageContaining("goldens.safetensors");
        assertThatThrownBy(() -> goldens.data("unet.nope")).isInstanceOf(MissingTensorException.class);
    }

    @Test
    void readsMetadataAndScalars(@TempDir Path dir) throws IOException {
        Path file = RawSafetensors.write(dir.resolve("bf16.safetensors"),
                "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"é\"},"
                        + "\"x\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[0,2]}}",
                RawSafetensors.shorts(0x3F80));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "é"));
            assertThat(f.info("x").shape()).isEmpty();
            assertThat(f.info("x").elementCount()).isEqualTo(1);
            assertThat(f.data("x").getShort(0)).isEqualTo((short) 0x3F80);
        }
    }
}
