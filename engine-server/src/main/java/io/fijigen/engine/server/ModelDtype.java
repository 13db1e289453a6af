package io.fijigen.engine.server;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The float type a model's weights are loaded as (never bfloat16: DJL 0.36 aborts the JVM on it). */
public enum ModelDtype {
    FP32("fp32", DataType.FLOAT32, 4),
    FP16("fp16", DataType.FLOAT16, 2);

    private final String configName;
    private final DataType dataType;
    private final int bytes;

    ModelDtype(String configName, DataType dataType, int bytes) {
        this.configName = configName;
        this.dataType = dataType;
        this.bytes = bytes;
    }

    public String configName() {
        return configName;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Bytes per parameter once loaded, whatever the file stores (weights are widened or narrowed on load). */
    public int bytesPerElement() {
        return bytes;
    }

    /** The names a config may use, for error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ModelDtype::configName).collect(Collectors.joining(", "));
    }

    public static Optional<ModelDtype> fromConfigName(String name) {
        return Arrays.stream(values()).filter(dtype -> dtype.configName.equals(name)).findFirst();
    }
}
