package io.fijigen.engine.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code fijigen bench} runs: one of the engine's pipelines. */
public enum Workload {
    TXT2IMG, CONTROLNET, INPAINT, UPSCALE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Workload of(String id) {
        return Arrays.stream(values()).filter(w -> w.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown workload '" + id + "' (known: "
                        + Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(", ")) + ")"));
    }
}
