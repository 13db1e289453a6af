package io.fijigen.engine.runtime;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns off libtorch's NNPACK convolutions, as {@code torch.backends.nnpack.set_flags(False)}
 * does, which DJL's JNI has no call for.
 *
 * <p>Why: on a CPU NNPACK does not support, libtorch 2.7.1 logs "Could not initialize NNPACK!
 * Reason: Unsupported hardware." each time a convolution asks whether NNPACK is available, not
 * once (19 lines for one 64×64 generate on the tiny fixture, whatever the steps: one per small
 * batch-1 VAE convolution; 15,635 in one {@code mvn verify}). {@code TORCH_CPP_LOG_LEVEL} cannot
 * quiet it: libtorch reads it only in {@code c10::initLogging()}, which Python calls and a libtorch
 * embedded by DJL never does. Convolution.cpp asks {@code userEnabledNNPACK()} before
 * {@code _nnpack_available()}, so with the flag off the question is never asked. Nothing is lost:
 * NNPACK only takes float32 CPU convolutions of batch ≥ 16, which oneDNN (mkldnn), checked first
 * and built into DJL's libtorch, already takes.
 */
final class NnpackSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(NnpackSwitch.class);
    /** at::globalContext() and at::Context::setUserEnabledNNPACK(bool), as the Itanium C++ ABI names them. */
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_USER_ENABLED_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    private NnpackSwitch() {}

    /** Called by {@link TorchRuntime} once libtorch is loaded; a libtorch without these symbols (another ABI) keeps NNPACK. */
    static void turnOff() {
        try {
            NativeLibrary torch = NativeLibrary.getInstance(
                    Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
            Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
            torch.getFunction(SET_USER_ENABLED_NNPACK).invokeVoid(new Object[] {context, false});
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("NNPACK left on: {}", e.getMessage());
        }
    }
}
