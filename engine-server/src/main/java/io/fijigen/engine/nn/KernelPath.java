package io.fijigen.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link Ops} runs attention, group norm and GEGLU: through the engine's TorchScript kernels
 * (the default) or as plain DJL ops. Chosen with {@code --kernels}, the system property {@code
 * fijigen.kernels} or the environment variable {@code FIJIGEN_KERNELS}; when the module cannot be
 * loaded (a libtorch without SDPA, say) the engine says so once and uses plain ops.
 */
public enum KernelPath {
    TORCHSCRIPT, PLAIN;

    private static final Logger LOG = LoggerFactory.getLogger(KernelPath.class);
    private static volatile KernelPath selected = fromSetting();
    private static volatile TorchScriptKernels kernels;
    private static volatile boolean failed;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KernelPath of(String id) {
        for (KernelPath path : values()) {
            if (path.id().equals(id)) {
                return path;
            }
        }
        throw new IllegalArgumentException("kernels '" + id + "' is not torchscript or plain");
    }

    public static KernelPath selected() {
        return selected;
    }

    public static void select(KernelPath path) {
        selected = path;
    }

    /** The loaded module when the TorchScript path is selected and loads; null for plain ops. */
    static TorchScriptKernels kernels() {
        if (selected == PLAIN) {
            return null;
        }
        // Every op asks: no lock once the module is there (or has failed), only for the first load.
        TorchScriptKernels loaded = kernels;
        return loaded != null || failed ? loaded : load();
    }

    private static synchronized TorchScriptKernels load() {
        if (kernels == null && !failed) {
            try {
                // Parameter-free, so one module on the CPU manager serves every device; it lives as long as the JVM.
                kernels = TorchScriptKernels.load(NDManager.newBaseManager(Device.cpu()));
            } catch (Exception e) {
                failed = true;
                LOG.warn("TorchScript kernels did not load ({}); running plain ops", e.getMessage());
            }
        }
        return kernels;
    }

    private static KernelPath fromSetting() {
        String setting = System.getProperty("fijigen.kernels", System.getenv("FIJIGEN_KERNELS"));
        return setting == null || setting.isBlank() ? TORCHSCRIPT : of(setting.strip().toLowerCase(Locale.ROOT));
    }
}
