package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory and thread count, as {@code /proc/self/status} reports them. */
record ProcessStatus(long residentMib, int threads) {

    static ProcessStatus now() throws IOException {
        long kib = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                kib = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        return new ProcessStatus(kib >> 10, threads);
    }
}
