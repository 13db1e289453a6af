package io.fijigen.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {

    /**
     * Two top-level events, one holding two nested ones; a second thread with one event of its own.
     * Kernels: addmm, add and mul; linear encloses others and t is a view.
     */
    @Test
    void countsTopLevelEventsPerThread() {
        String trace = "[" + event("aten::linear", 0, 10, 1) + "," + event("aten::t", 1, 2, 1) + ","
                + event("aten::addmm", 3, 6, 1) + "," + event("aten::add", 10, 2, 1) + ","
                + event("aten::mul", 4, 1, 2) + "]";
        assertThat(OpProfile.count(JsonParser.parseString(trace))).isEqualTo(new OpProfile.Counts(3, 5, 3));
    }

    /** With device times (a GPU profile) a kernel is a leaf that spent device time, whatever its name. */
    @Test
    void countsLeavesWithDeviceTimeOnAGpu() {
        String trace = "[" + gpuEvent("forward", 0, 20, 15) + "," + gpuEvent("aten::conv2d", 1, 5, 4) + ","
                + gpuEvent("aten::view", 7, 1, 0) + "," + gpuEvent("prim::TensorExprGroup", 9, 4, 3) + ","
                + gpuEvent("aten::empty", 14, 1, 0) + "," + gpuEvent("aten::add", 20, 2, 1) + "]";
        assertThat(OpProfile.count(JsonParser.parseString(trace))).isEqualTo(new OpProfile.Counts(2, 6, 3));
    }

    /** Three operators asked for from Java, whatever libtorch runs inside them. */
    @Test
    void profilesRealWork(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(2, 3));
            OpProfile.Counts counts = OpProfile.of(() -> x.matMul(x.transpose()).softmax(-1).toFloatArray(),
                    dir.resolve("trace.json"), false);
            assertThat(counts.jniOps()).isBetween(3, 4);
            assertThat(counts.allOps()).isGreaterThanOrEqualTo(counts.jniOps());
            assertThat(counts.kernels()).isBetween(3, counts.allOps());
        }
    }

    private static String gpuEvent(String name, double ts, double dur, double gpuDur) {
        return event(name, ts, dur, 1).replace("}", ",\"gpu_dur\":" + gpuDur + "}");
    }

    private static String event(String name, double ts, double dur, int tid) {
        return "{\"name\":\"" + name + "\",\"ph\":\"X\",\"ts\":" + ts + ",\"dur\":" + dur + ",\"tid\":" + tid
                + ",\"pid\":\"CPU Functions\"}";
    }
}
