package io.fijigen.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped safetensors file: an 8-byte little-endian header length N, N bytes of JSON,
 * then the tensor data. Tensor data is never copied onto the Java heap: {@link #data} returns
 * slices of read-only mappings.
 *
 * <p>Mappings outlive {@link #close()}: closing releases the file handle, and the operating
 * system unmaps a window only when no slice of it (nor an NDArray made from one) is reachable.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation rejects headers over 100 MB; so do we. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final DataWindows windows;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, DataWindows windows) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.windows = windows;
    }

    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new SafetensorsFormatException(file, "file has " + size
                        + " bytes, too short for the 8-byte header length of a safetensors file");
            }
            long headerLength = readFully(file, channel, 0, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes; not a safetensors file?");
            }
            if (headerLength > size - Long.BYTES) {
                throw new SafetensorsFormatException(file, "header length " + headerLength
                        + " is larger than the file (" + size + " bytes); the file is truncated");
            }
            ByteBuffer headerBytes = readFully(file, channel, Long.BYTES, (int) headerLength);
            long dataStart = Long.BYTES + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(file, headerBytes, size - dataStart);
            DataWindows windows = DataWindows.map(file, channel, dataStart, header.tensors().values());
            return new SafetensorsFile(file, channel, header, windows);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /** @throws MissingTensorException if there is no such tensor */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new MissingTensorException(name, List.of(path));
        }
        return info;
    }

    /** The tensor's bytes: a read-only, little-endian slice of the mapping, exactly its length. */
    public ByteBuffer data(String name) {
        return windows.slice(info(name));
    }

    /** The bytes of a {@link TensorView} of one of this file's tensors. */
    public ByteBuffer data(TensorView view) {
        TensorInfo source = info(view.source());
        TensorInfo part = view.info();
        if (part.begin() < source.begin() || part.end() > source.end()) {
            throw new IllegalArgumentException(part + " lies outside " + source);
        }
        return data(view.source())
                .slice(Math.toIntExact(part.begin() - source.begin()), Math.toIntExact(part.byteLength()))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The {@code __metadata__} entries; empty if the header has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Number of memory mappings (windows) this file needed. */
    int mappingCount() {
        return windows.count();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a read-only channel has nothing to flush; a failure here loses no data.
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SafetensorsFormatException(file, "unexpected end of file");
            }
        }
        return buffer.flip();
    }
}
