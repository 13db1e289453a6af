package io.fijigen.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only memory mappings of a safetensors data region.
 *
 * <p>A {@link java.nio.MappedByteBuffer} holds at most {@code Integer.MAX_VALUE} bytes, so a
 * large file is mapped in several windows. Windows start at tensor boundaries and each tensor
 * lies inside one window, so a tensor is always one contiguous slice (which libtorch's
 * {@code from_blob} needs).
 */
final class DataWindows {

    /** Largest mapping a ByteBuffer can address. */
    private static final long MAX_WINDOW = Integer.MAX_VALUE;

    private final Map<String, ByteBuffer> windowOf = new HashMap<>();
    private final Map<String, Long> windowStartOf = new HashMap<>();
    private final int count;

    private DataWindows(int count) {
        this.count = count;
    }

    /**
     * Maps the windows that cover {@code tensors}; {@code dataStart} is the file offset of the
     * byte after the header.
     */
    static DataWindows map(Path file, FileChannel channel, long dataStart, Iterable<TensorInfo> tensors)
            throws IOException {
        List<TensorInfo> byOffset = new ArrayList<>();
        for (TensorInfo info : tensors) {
            if (info.byteLength() > MAX_WINDOW) {
                throw new SafetensorsFormatException(file, "tensor '" + info.name() + "' has "
                        + info.byteLength() + " bytes; tensors over 2 GiB are not supported");
            }
            byOffset.add(info);
        }
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));

        List<List<TensorInfo>> groups = new ArrayList<>();
        long windowStart = 0;
        for (TensorInfo info : byOffset) {
            if (groups.isEmpty() || info.end() - windowStart > MAX_WINDOW) {
                groups.add(new ArrayList<>());
                windowStart = info.begin();
            }
            groups.get(groups.size() - 1).add(info);
        }

        DataWindows windows = new DataWindows(groups.size());
        for (List<TensorInfo> group : groups) {
            long start = group.get(0).begin();
            long end = group.stream().mapToLong(TensorInfo::end).max().orElseThrow();
            ByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, end - start);
            for (TensorInfo info : group) {
                windows.windowOf.put(info.name(), mapping);
                windows.windowStartOf.put(info.name(), start);
            }
        }
        return windows;
    }

    /** Number of mappings made. */
    int count() {
        return count;
    }

    /** The tensor's bytes: a read-only, little-endian slice of its window. */
    ByteBuffer slice(TensorInfo info) {
        ByteBuffer window = windowOf.get(info.name());
        int offset = Math.toIntExact(info.begin() - windowStartOf.get(info.name()));
        return window.slice(offset, Math.toIntExact(info.byteLength()))
                .asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }
}
