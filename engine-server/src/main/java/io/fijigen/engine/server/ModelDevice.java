package io.fijigen.engine.server;

import ai.djl.Device;
import io.fijigen.engine.runtime.TorchRuntime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a model's weights live once loaded. */
public enum ModelDevice {
    CPU("cpu"),
    GPU("gpu");

    private final String configName;

    ModelDevice(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /**
     * The DJL device, checked at load time rather than when the config is read, so a registry
     * naming GPU models can still be listed and validated on a machine without one.
     */
    Device device() {
        // Loads libtorch, checking its set-up, whichever the device: a CPU model runs on it too.
        int gpus = TorchRuntime.engine().getGpuCount();
        if (this == CPU) {
            return Device.cpu();
        }
        if (gpus == 0) {
            throw new IllegalStateException("device gpu: libtorch sees no GPU (use device: cpu, or point"
                    + " PYTORCH_LIBRARY_PATH at a CUDA build of libtorch)");
        }
        return Device.gpu();
    }

    /** The names a config may use, for error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ModelDevice::configName).collect(Collectors.joining(", "));
    }

    public static Optional<ModelDevice> fromConfigName(String name) {
        return Arrays.stream(values()).filter(device -> device.configName.equals(name)).findFirst();
    }
}
