package io.fijigen.engine.schedule;

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
 */
final class StepScope {
    private StepScope() {}

    static NDArray run(NDArray sample, Function<NDManager, NDArray> body, NDArray... others) {
        NDManager parent = sample.getManager();
        try (NDManager scope = parent.newSubManager()) {
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

    private static void attach(NDArray array, NDManager scope, List<NDArray> attached) {
        if (array == null || attached.stream().anyMatch(a -> a == array)) {
            return;
        }
        array.tempAttach(scope);
        attached.add(array);
    }
}
