package io.fijigen.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Once libtorch is loaded, NNPACK is off: libtorch's own flag says so, as torch.backends.nnpack.enabled would. */
class NnpackSwitchTest {
    @Test
    void theEngineLoadsWithNnpackOff() {
        TorchRuntime.engine();
        NativeLibrary torch = NativeLibrary.getInstance(
                Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
        Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
        Object enabled = torch.getFunction("_ZNK2at7Context17userEnabledNNPACKEv")
                .invoke(Boolean.class, new Object[] {context});
        assertThat(enabled).isEqualTo(false);
    }
}
