package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long runs must not grow native memory: every step's arrays are freed with its manager. Measured
 * in a child JVM whose heap is fixed and touched up front ({@code -Xms = -Xmx}, {@code
 * AlwaysPreTouch}), so RSS growth is native memory, not the Java heap filling with garbage before
 * its first collection.
 */
class MemoryStabilityTest {
    private static final long LIMIT_MIB = 64;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"euler_a", "dpmpp_2m_karras", "pndm"})
    void twentyGenerationsAfterTwoWarmUpsKeepRssWithin64MiB(String scheduler) throws Exception {
        Process process = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"),
                MemoryStabilityRun.class.getName(), scheduler)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        String[] rss = out.replaceAll("(?s).*rss KiB (\\d+ \\d+).*", "$1").split(" ");
        long grownMiB = (Long.parseLong(rss[1]) - Long.parseLong(rss[0])) / 1024;
        System.out.printf("RSS growth over 20 generations (%s): %d MiB (limit %d MiB)%n", scheduler, grownMiB, LIMIT_MIB);
        assertThat(grownMiB).isLessThanOrEqualTo(LIMIT_MIB);
    }
}
