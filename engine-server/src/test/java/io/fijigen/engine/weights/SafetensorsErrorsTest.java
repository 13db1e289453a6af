package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can be malformed gives an exception whose message names the file and tensor. */
class SafetensorsErrorsTest {

    @TempDir Path dir;

    private Path file(String header, byte[] data) throws IOException {
        return RawSafetensors.write(dir.resolve("bad.safetensors"), header, data);
    }

    private Path file(String header) throws IOException {
        return file(header, new byte[0]);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(file.toString());
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path f = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3, 4, 5});
        assertOpenFails(f).hasMessageContaining("5 bytes").hasMessageContaining("too short");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertOpenFails(f).hasMessageContaining("too short");
    }

    @Test
    void headerLongerThanTheFile() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("cut.safetensors"), 1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertOpenFails(f).hasMessageContaining("header length 1000").hasMessageContaining("truncated");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        Path huge = RawSafetensors.write(dir.resolve("huge.safetensors"), 200_000_000L, new byte[0], new byte[0]);
        assertOpenFails(huge).hasMessageContaining("200000000").hasMessageContaining("exceeds");
        // A length with the top bit set, as when the first bytes are not a length at all.
        Path text = Files.writeString(dir.resolve("text.safetensors"), "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff{}",
                StandardCharsets.ISO_8859_1);
        assertOpenFails(text).hasMessageContaining("18446744073709551615").hasMessageContaining("exceeds");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        assertOpenFails(file("{not json")).hasMessageContaining("not valid JSON");
        assertOpenFails(file("{\"a\":1} x")).hasMessageContaining("not valid JSON");
        assertOpenFails(file("{'a':{}}")).hasMessageContaining("not valid JSON");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("latin1.safetensors"), 4, new byte[] {'{', '"', (byte) 0xE9, '}'}, new byte[0]);
        assertOpenFails(f).hasMessageContaining("UTF-8");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        assertOpenFails(file("[1,2]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void entryThatIsNotAnObject() throws IOException {
        assertOpenFails(file("{\"w\":5}")).hasMessageContaining("'w'").hasMessageContaining("not an object");
    }

    @Test
    void entryWithoutFields() throws IOException {
        assertOpenFails(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}"))
                .hasMessageContaining("'w'").hasMessageContaining("dtype");
        assertOpenFails(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("shape");
        assertOpenFails(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("data_offsets");
        assertOpenFails(file("{" + entry("w", "F32", "[1]", 0, 4).replace("[0,4]", "[4]") + "}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("2 entries");
    }

    @Test
    void badNumbersInShape() throws IOException {
        assertOpenFails(file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("non-negative integers");
        assertOpenFails(file("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("non-negative integers");
        assertOpenFails(file("{" + entry("w", "F32", "[\"1\"]", 0, 4) + "}", new byte[4]))
                .hasMessageContaining("'w'").hasMessageContaining("shape");
    }

    @Test
    void unknownDtype() throws IOException {
        assertOpenFails(file("{" + entry("w8", "F8_E4M3", "[4]", 0, 4) + "}", new byte[4]))
                .hasMessageContaining("'w8'").hasMessageContaining("F8_E4M3");
    }

    @Test
    void byteCountThatDoesNotMatchTheShape() throws IOException {
        assertOpenFails(file("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", new byte[20]))
                .hasMessageContaining("'w'").hasMessageContaining("20 bytes").hasMessageContaining("needs 24");
    }

    @Test
    void reversedOffsets() throws IOException {
        assertOpenFails(file("{" + entry("w", "F32", "[1]", 8, 4) + "}", new byte[8]))
                .hasMessageContaining("'w'").hasMessageContaining("reversed");
    }

    @Test
    void offsetsPastTheEndOfATruncatedFile() throws IOException {
        assertOpenFails(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 8, 16) + "}", new byte[12]))
                .hasMessageContaining("'b'").hasMessageContaining("truncated");
    }

    @Test
    void metadataThatIsNotStrings() throws IOException {
        assertOpenFails(file("{\"__metadata__\":{\"steps\":20}}")).hasMessageContaining("steps");
        assertOpenFails(file("{\"__metadata__\":[]}")).hasMessageContaining("__metadata__");
    }

    @Test
    void tensorOver2GiB() throws IOException {
        long bytes = 3L << 30;
        String header = "{" + entry("huge", "U8", "[" + bytes + "]", 0, bytes) + "}";
        Path f = file(header);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(Files.size(f) + bytes); // sparse: takes no disk space
        }
        assertOpenFails(f).hasMessageContaining("'huge'").hasMessageContaining("2 GiB");
    }

    @Test
    void missingTensor() throws IOException {
        Path f = file("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[4]);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertThatThrownBy(() -> sf.info("b"))
                    .isInstanceOf(MissingTensorException.class)
                    .hasMessageContaining("'b'")
                    .hasMessageContaining(f.toString());
        }
    }

    @Test
    void missingTensorInStateDictNamesFullKeyAndFiles() throws IOException {
        Path a = RawSafetensors.write(dir.resolve("a.safetensors"), "{" + entry("x.y.w", "F32", "[1]", 0, 4) + "}", new byte[4]);
        Path b = RawSafetensors.write(dir.resolve("b.safetensors"), "{" + entry("x.z", "F32", "[1]", 0, 4) + "}", new byte[4]);
        try (NDManager manager = NDManager.newBaseManager();
                StateDict sd = StateDict.open(List.of(a, b), manager, DataType.FLOAT32)) {
            assertThatThrownBy(() -> sd.scope("x").scope("y").get("bias"))
                    .isInstanceOf(MissingTensorException.class)
                    .hasMessageContaining("'x.y.bias'")
                    .hasMessageContaining(a.toString())
                    .hasMessageContaining(b.toString())
                    .satisfies(e -> assertThat(((MissingTensorException) e).tensorName()).isEqualTo("x.y.bias"));
        }
    }

    @Test
    void tensorInTwoShards() throws IOException {
        Path a = RawSafetensors.write(dir.resolve("a.safetensors"), "{" + entry("w", "F32", "[1]", 0, 4) + "}", new byte[4]);
        Path b = RawSafetensors.write(dir.resolve("b.safetensors"), "{" + entry("w", "F32", "[1]", 0, 4) + "}", new byte[4]);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> StateDict.open(List.of(a, b), manager, DataType.FLOAT32))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("'w'")
                    .hasMessageContaining(a.toString())
                    .hasMessageContaining(b.toString());
        }
    }

    @Test
    void unsupportedFloatType() throws IOException {
        Path a = RawSafetensors.write(dir.resolve("a.safetensors"), "{}", new byte[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> StateDict.open(List.of(a), manager, DataType.FLOAT64))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("FLOAT64");
        }
    }

    @Test
    void componentFolderWithoutSafetensors() throws IOException {
        Path unet = Files.createDirectory(dir.resolve("unet"));
        Files.writeString(unet.resolve("config.json"), "{}");
        Files.write(unet.resolve("diffusion_pytorch_model.bin"), new byte[8]);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> StateDict.openComponent(unet, manager, DataType.FLOAT32))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(unet.toString())
                    .hasMessageContaining("diffusion_pytorch_model.bin")
                    .hasMessageContaining(".bin checkpoints are not supported");
            assertThatThrownBy(() -> StateDict.openComponent(dir.resolve("vae"), manager, DataType.FLOAT32))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.resolve("vae").toString())
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void indexNamingAMissingShard() throws IOException {
        Path unet = Files.createDirectory(dir.resolve("unet"));
        Files.writeString(unet.resolve("diffusion_pytorch_model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"w\":\"diffusion_pytorch_model-00001-of-00002.safetensors\"}}");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> StateDict.openComponent(unet, manager, DataType.FLOAT32))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("diffusion_pytorch_model-00001-of-00002.safetensors")
                    .hasMessageContaining("missing");
        }
    }
}
