package io.fijigen.plugin.engine;

import java.util.Locale;

/** Where the managed engine runs its models: {@code serve --device}. */
public enum EngineDevice {
    CPU,
    GPU;

    /** The engine's name for it. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code cpu} or {@code gpu}, any case. */
    public static EngineDevice of(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + name + "' is not one of cpu, gpu", e);
        }
    }
}
