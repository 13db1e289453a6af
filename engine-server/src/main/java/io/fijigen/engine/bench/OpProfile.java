package io.fijigen.engine.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the ATen operators a piece of work dispatches, from libtorch's profiler trace. Every
 * operator Java asks for is one JNI call that reaches libtorch, and shows in the trace as an event
 * no other event encloses; operators those call in turn (aten::linear → aten::addmm) are nested in
 * it. So the top-level count is the number of JNI calls that ran an operator. JNI calls that run
 * none (shape queries, freeing a tensor) are not in the trace: the count is a lower bound on JNI
 * crossings, and the number the fused kernels must bring down.
 */
final class OpProfile {

    /** @param jniOps top-level operators: JNI calls that dispatched work; @param allOps every operator, nested ones too */
    record Counts(int jniOps, int allOps) {}

    private OpProfile() {}

    static Counts of(Runnable body, Path trace) throws IOException {
        JniUtils.startProfile(false, false, false);
        try {
            body.run();
        } finally {
            JniUtils.stopProfile(trace.toString());
        }
        try (Reader reader = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return count(JsonParser.parseReader(reader));
        }
    }

    /** Counts events per thread, an event being top-level when it starts after every open one has ended. */
    static Counts count(JsonElement trace) {
        Map<String, List<double[]>> byThread = new HashMap<>();
        for (JsonElement element : trace.getAsJsonArray()) {
            JsonObject event = element.getAsJsonObject();
            if (!"X".equals(event.get("ph").getAsString())) {
                continue;
            }
            String thread = event.get("pid").getAsString() + "/" + event.get("tid").getAsString();
            double start = event.get("ts").getAsDouble();
            byThread.computeIfAbsent(thread, t -> new ArrayList<>())
                    .add(new double[] {start, start + event.get("dur").getAsDouble()});
        }
        int top = 0;
        int all = 0;
        for (List<double[]> events : byThread.values()) {
            // Enclosing events first: by start, then the longer one.
            events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> -e[1]));
            Deque<Double> open = new ArrayDeque<>();
            for (double[] event : events) {
                while (!open.isEmpty() && open.peek() <= event[0]) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    top++;
                }
                open.push(event[1]);
                all++;
            }
        }
        return new Counts(top, all);
    }
}
