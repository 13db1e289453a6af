package io.fijigen.engine.schedule;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one step's arithmetic in a sub-manager of the sample's manager, so every intermediate is
 * freed on return and only the result moves to the sample's manager. The other arrays the step
 * reads (model output, history) are attached to the scope for the duration, so results of ops
 * they receive land there too; on close they return to their own managers.
 *
 * <p>The scope is a CPU manager whatever the sample's device. A step's coefficients are Java
 * numbers, and DJL makes each {@code mul(float)} operand in the receiver's manager: on a GPU
 * manager that is a host→device copy that waits for the device, several per step. Made on the CPU
 * they are 0-dim CPU tensors, which CUDA kernels take as plain scalars. An array the step makes
 * from host data that is not a scalar (its noise) must therefore be moved: {@link #noiseLike}.
 */
final class StepScope {
    private StepScope() {}

    static NDArray run(NDArray sample, Function<NDManager, NDArray> body, NDArray... others) {
        NDManager parent = sample.getManager();
        try (NDManager scope = parent.newSubManager(Device.cpu())) {
            List<NDArray> attached = new ArrayList<>();
            attach(sample, scope, attached);
            for (NDArray other : others) {
                attach(other, scope, attached);
            }
            NDArray computed = body.apply(scope);
            // An input returned as is goes back to its own manager on close: hand out a copy.
            NDArray result = attached.stream().anyMatch(a -> a == computed) ? computed.duplicate() : computed;
            result.attach(parent);
            return result;
        }
    }

    /** Fresh noise of the sample's shape, drawn in {@code scope}, on the sample's device. */
    static NDArray noiseLike(NDArray sample, NoiseSource source, NDManager scope) {
        return source.randn(sample.getShape(), scope).toDevice(sample.getDevice(), false);
    }

    private static void attach(NDArray array, NDManager scope, List<NDArray> attached) {
        if (array == null || attached.stream().anyMatch(a -> a == array)) {
            return;
        }
        array.tempAttach(scope);
        attached.add(array);
    }
}
