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

    /** Two top-level events, one holding two nested ones; a second thread with one event of its own. */
    @Test
    void countsTopLevelEventsPerThread() {
        String trace = "[" + event("aten::linear", 0, 10, 1) + "," + event("aten::t", 1, 2, 1) + ","
                + event("aten::addmm", 3, 6, 1) + "," + event("aten::add", 10, 2, 1) + ","
                + event("aten::mul", 4, 1, 2) + "]";
        assertThat(OpProfile.count(JsonParser.parseString(trace))).isEqualTo(new OpProfile.Counts(3, 5));
    }

    /** Three operators asked for from Java, whatever libtorch runs inside them. */
    @Test
    void profilesRealWork(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(2, 3));
            OpProfile.Counts counts = OpProfile.of(() -> x.matMul(x.transpose()).softmax(-1).toFloatArray(),
                    dir.resolve("trace.json"));
            assertThat(counts.jniOps()).isBetween(3, 4);
            assertThat(counts.allOps()).isGreaterThanOrEqualTo(counts.jniOps());
        }
    }

    private static String event(String name, double ts, double dur, int tid) {
        return "{\"name\":\"" + name + "\",\"ph\":\"X\",\"ts\":" + ts + ",\"dur\":" + dur + ",\"tid\":" + tid
                + ",\"pid\":\"CPU Functions\"}";
    }
}
