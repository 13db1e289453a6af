package io.fijigen.plugin.engine;

import java.util.Map;

/**
 * The CUDA build of libtorch a GPU engine needs. The engine jar bundles the CPU build only; told
 * {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR}, DJL downloads the CUDA build into its cache
 * ({@code ~/.djl.ai/pytorch/}) on first use. Offline, the user downloads it by hand: {@link #advice()}.
 */
final class CudaLibtorch {
    /** The libtorch the engine's DJL (0.36) is built against, and the CUDA flavor DJL publishes for it. */
    static final String VERSION = "2.7.1";
    static final String FLAVOR = "cu128";
    private static final String DJL_VERSION = "0.36.0";

    private CudaLibtorch() {}

    /**
     * The engine's environment that makes DJL fetch the CUDA libtorch. DJL keeps its bundled build
     * when that build's version ({@code 2.7.1-20250812}) starts with {@code PYTORCH_VERSION}, whatever
     * the flavor: {@code 2.7.1-0} does not, and downloads read only its {@code 2.7.1}.
     */
    static Map<String, String> djlDownload() {
        return Map.of("PYTORCH_VERSION", VERSION + "-0", "PYTORCH_FLAVOR", FLAVOR);
    }

    /** What to download and where to put it, when the engine could not fetch the CUDA libtorch itself. */
    static String advice() {
        return "the GPU needs libtorch " + VERSION + " for CUDA 12.8, which the engine downloads on first use and"
                + " could not (offline?). Download libtorch-cxx11-abi-shared-with-deps-" + VERSION + "+" + FLAVOR
                + ".zip from PyTorch's download page and unzip it; put DJL's JNI library libdjl_torch.so for it (DJL "
                + DJL_VERSION + ", pytorch " + VERSION + ", linux-x86_64, " + FLAVOR + ") into its libtorch/lib folder;"
                + " then set that folder as 'libtorch folder' in Plugins › fijigen › Server Settings..."
                + " (or choose Device: CPU)";
    }
}
