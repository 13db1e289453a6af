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
import java.util.Set;

/**
 * Counts the ATen operators a piece of work dispatches, from libtorch's profiler trace. Every
 * operator Java asks for is one JNI call that reaches libtorch, and shows in the trace as an event
 * no other event encloses; operators those call in turn (aten::linear → aten::addmm) are nested in
 * it. So the top-level count is the number of JNI calls that ran an operator. JNI calls that run
 * none (shape queries, freeing a tensor) are not in the trace: the count is a lower bound on JNI
 * crossings, and the number the fused kernels must bring down.
 *
 * <p>The profiler DJL drives is libtorch's legacy one: it records operators, not the device
 * kernels they launch. Kernels are therefore counted as the operators that do work themselves:
 * leaf events (enclosing no other) that are not views or allocations. Where the trace gives each
 * operator's device time ({@code gpu_dur}, written by newer DJL JNI builds than 0.36's), it is
 * the leaves that spent device time instead. A fused group the TorchScript executor makes shows as
 * one leaf, so the count follows fusion.
 */
final class OpProfile {

    /**
     * @param jniOps top-level operators: JNI calls that dispatched work
     * @param allOps every operator, nested ones too
     * @param kernels leaf operators that compute: kernel launches, on the device when profiled there
     */
    record Counts(int jniOps, int allOps, int kernels) {}

    /** Leaf operators that only describe memory: no kernel runs for them. */
    private static final Set<String> NO_KERNEL = Set.of("aten::empty", "aten::empty_strided", "aten::empty_like",
            "aten::as_strided", "aten::view", "aten::_reshape_alias", "aten::reshape", "aten::transpose",
            "aten::permute", "aten::expand", "aten::unsqueeze", "aten::squeeze", "aten::select", "aten::slice",
            "aten::narrow", "aten::t", "aten::alias", "aten::detach", "detach", "aten::resize_", "aten::lift_fresh",
            "aten::_unsafe_view", "aten::unflatten", "aten::flatten", "aten::set_", "aten::split", "aten::chunk",
            "aten::unbind", "aten::result_type", "aten::is_nonzero", "aten::item", "aten::_local_scalar_dense");

    /** One operator event: its span, its name, its device time (−1 where the trace has none). */
    private record Event(double start, double end, String name, double deviceMicros) {}

    private OpProfile() {}

    /** @param device whether to record device time per operator (a GPU model) */
    static Counts of(Runnable body, Path trace, boolean device) throws IOException {
        JniUtils.startProfile(device, false, false);
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
        Map<String, List<Event>> byThread = new HashMap<>();
        for (JsonElement element : trace.getAsJsonArray()) {
            JsonObject event = element.getAsJsonObject();
            if (!"X".equals(event.get("ph").getAsString())) {
                continue;
            }
            String thread = event.get("pid").getAsString() + "/" + event.get("tid").getAsString();
            double start = event.get("ts").getAsDouble();
            JsonElement device = event.get("gpu_dur");
            byThread.computeIfAbsent(thread, t -> new ArrayList<>()).add(new Event(start,
                    start + event.get("dur").getAsDouble(), event.get("name").getAsString(),
                    device == null ? -1 : device.getAsDouble()));
        }
        int top = 0;
        int all = 0;
        int kernels = 0;
        for (List<Event> events : byThread.values()) {
            // Enclosing events first: by start, then the longer one.
            events.sort(Comparator.comparingDouble(Event::start).thenComparingDouble(e -> -e.end()));
            Deque<Event> open = new ArrayDeque<>();
            Event previous = null;
            for (Event event : events) {
                while (!open.isEmpty() && open.peek().end() <= event.start()) {
                    open.pop();
                }
                if (previous != null && open.peek() != previous && computes(previous)) {
                    kernels++;
                }
                if (open.isEmpty()) {
                    top++;
                }
                open.push(event);
                previous = event;
                all++;
            }
            if (previous != null && computes(previous)) {
                kernels++;
            }
        }
        return new Counts(top, all, kernels);
    }

    /** Whether a leaf event launched work: device time where the trace has it, else not a view or allocation. */
    private static boolean computes(Event leaf) {
        return leaf.deviceMicros() >= 0 ? leaf.deviceMicros() > 0 : !NO_KERNEL.contains(leaf.name());
    }
}
