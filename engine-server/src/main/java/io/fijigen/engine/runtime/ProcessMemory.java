package io.fijigen.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: on the CPU it
 * is the engine's memory, native tensors and mapped weights included, which the JVM's own
 * counters do not see.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Bytes resident now (VmRSS), or −1 where there is no /proc. */
    public static long resident() {
        return field("VmRSS:");
    }

    /** The most bytes ever resident (VmHWM), or −1 where there is no /proc. */
    public static long peakResident() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
