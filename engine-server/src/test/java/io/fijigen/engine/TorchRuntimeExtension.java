package io.fijigen.engine;

import io.fijigen.engine.runtime.TorchRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Loads libtorch as the engine does ({@link TorchRuntime}: CPU threads set, NNPACK off) before each
 * test class, registered for all of them by {@code junit-platform.properties}: tests that make
 * NDArrays themselves would otherwise get a libtorch that warns "Could not initialize NNPACK!" on
 * every small convolution (44 lines from Vae15ParityTest alone).
 */
public final class TorchRuntimeExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        TorchRuntime.engine();
    }
}
