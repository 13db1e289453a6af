package io.fijigen.engine.model;

import io.fijigen.engine.weights.ComponentFiles;
import io.fijigen.engine.weights.SafetensorsFile;
import io.fijigen.engine.weights.TensorDtype;
import io.fijigen.engine.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.fijigen.engine.weights.TensorView;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one component's weights hold, read from the safetensors headers alone (nothing is loaded):
 * how many tensors and parameters, of which dtypes, in how many bytes of files.
 *
 * @param parametersByDtype element count per stored dtype
 */
public record ComponentSummary(
        String name, String className, List<Path> files, int tensors, Map<TensorDtype, Long> parametersByDtype,
        long bytes) {

    public static ComponentSummary ofFolder(String name, String className, Path dir) throws IOException {
        return ofFiles(name, className, ComponentFiles.find(dir));
    }

    public static ComponentSummary ofFiles(String name, String className, List<Path> files) throws IOException {
        Map<TensorDtype, Long> byDtype = new EnumMap<>(TensorDtype.class);
        int tensors = 0;
        long bytes = 0;
        for (Path path : files) {
            try (SafetensorsFile file = SafetensorsFile.open(path)) {
                for (String tensor : file.names()) {
                    TensorInfo info = file.info(tensor);
                    byDtype.merge(info.dtype(), info.elementCount(), Long::sum);
                    tensors++;
                }
            }
            bytes += Files.size(path);
        }
        return new ComponentSummary(name, className, List.copyOf(files), tensors, byDtype, bytes);
    }

    /** A network of a single-file checkpoint: its views' elements and bytes, not the whole file's. */
    public static ComponentSummary ofViews(String name, String className, Path file, Collection<TensorView> views) {
        Map<TensorDtype, Long> byDtype = new EnumMap<>(TensorDtype.class);
        long bytes = 0;
        for (TensorView view : views) {
            byDtype.merge(view.info().dtype(), view.info().elementCount(), Long::sum);
            bytes += view.info().end() - view.info().begin();
        }
        return new ComponentSummary(name, className, List.of(file), views.size(), byDtype, bytes);
    }

    public long parameters() {
        return parametersByDtype.values().stream().mapToLong(Long::longValue).sum();
    }
}
