package io.fijigen.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3.4 GB file needs two mappings (a ByteBuffer addresses at most 2 GiB) and must be readable
 * with a 256 MB heap, i.e. without copying tensor data onto the heap. The file is sparse, so it
 * takes almost no disk space; only the marker values written below are real bytes.
 */
class SafetensorsLargeFileTest {

    static final long FILE_SIZE = 3_400_000_000L;
    static final int HEADER_SIZE = 512;
    static final long DATA_SIZE = FILE_SIZE - Long.BYTES - HEADER_SIZE;
    // head: U8 [8]; big.a: F32, 1.6 GB; big.b: F32, the rest but the 16-byte tail; tail: F32 [4].
    static final long A_BEGIN = 8;
    static final long A_END = A_BEGIN + 400_000_000L * 4;
    static final long TAIL_BEGIN = DATA_SIZE - 16;

    @TempDir Path dir;

    @Test
    void readsA34GbFileWithA256MbHeapInTwoMappings() throws Exception {
        assumeTrue(Files.getFileStore(dir).getUsableSpace() > 8L << 30,
                "needs free disk in case the file system does not support sparse files");
        Path file = dir.resolve("large.safetensors");
        try {
            writeSparseFile(file);
            assertThat(Files.size(file)).isEqualTo(FILE_SIZE);

            Path log = dir.resolve("child.log");
            Process child = new ProcessBuilder(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"),
                    SafetensorsLargeFileReader.class.getName(),
                    file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean exited = child.waitFor(5, TimeUnit.MINUTES);
            if (!exited) {
                child.destroyForcibly();
            }
            List<String> output = Files.readAllLines(log);
            assertThat(exited).as("child finished; output: %s", output).isTrue();
            assertThat(child.exitValue()).as("child exit code; output: %s", output).isZero();
            // touched: first + last byte of each tensor: head 1 + 8, the high bytes (0x40) of
            // big.a's 7.5f and tail's 4.0f; all other touched bytes are zeros of the sparse region.
            assertThat(output).filteredOn(line -> line.startsWith("RESULT ")).containsExactly(
                    "RESULT tensors=4 mappings=2 touched=137 head=1,8 big.a.last=7.5 big.b.first=-1.0 tail.last=4.0"
                            + " nd.big.a[399999999]=7.5 maxHeapMiB=" + childMaxHeapMiB(output));
            assertThat(childMaxHeapMiB(output)).isLessThanOrEqualTo(256);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int childMaxHeapMiB(List<String> output) {
        return output.stream()
                .filter(line -> line.startsWith("RESULT "))
                .map(line -> line.substring(line.indexOf("maxHeapMiB=") + "maxHeapMiB=".length()))
                .mapToInt(Integer::parseInt)
                .findFirst()
                .orElse(-1);
    }

    private static void writeSparseFile(Path file) throws IOException {
        long bBegin = A_END;
        long bCount = (TAIL_BEGIN - bBegin) / 4;
        String json = "{" + entry("head", "U8", 8, 0, A_BEGIN) + ","
                + entry("big.a", "F32", (A_END - A_BEGIN) / 4, A_BEGIN, A_END) + ","
                + entry("big.b", "F32", bCount, bBegin, TAIL_BEGIN) + ","
                + entry("tail", "F32", 4, TAIL_BEGIN, DATA_SIZE) + "}";
        byte[] header = (json + " ".repeat(HEADER_SIZE - json.length())).getBytes(StandardCharsets.UTF_8);
        assertThat(header).hasSize(HEADER_SIZE);
        assertThat(bCount * 4).isEqualTo(TAIL_BEGIN - bBegin);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(FILE_SIZE);
            FileChannel channel = raf.getChannel();
            long data = Long.BYTES + HEADER_SIZE;
            channel.write(le(Long.BYTES).putLong(0, HEADER_SIZE), 0);
            channel.write(ByteBuffer.wrap(header), Long.BYTES);
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), data);
            channel.write(le(4).putFloat(0, 7.5f), data + A_END - 4);
            channel.write(le(4).putFloat(0, -1f), data + bBegin);
            channel.write(le(16).putFloat(0, 1f).putFloat(4, 2f).putFloat(8, 3f).putFloat(12, 4f), data + TAIL_BEGIN);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String entry(String name, String dtype, long count, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + count + "],\"data_offsets\":["
                + begin + "," + end + "]}";
    }
}
