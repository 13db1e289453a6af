package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 200 generations of every kind after 5 warm-up ones, in a JVM of their own whose heap is fixed
 * and touched up front: resident memory may grow by at most 64 MiB (native leaks would grow it by
 * far more: a 64² job allocates tens of MiB of tensors) and open file descriptors not at all.
 */
class SoakTest {
    private static final Pattern SAMPLE = Pattern.compile("after (warm-up|soak): rss KiB (\\d+) fds (\\d+)");

    @Test
    void twoHundredJobsLeakNeitherMemoryNorFiles() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), SoakRun.class.getName(), "5", "200"))
                .redirectErrorStream(true);
        // As the README recommends for long-running engines (see UpscaleMemoryTest for why).
        builder.environment().put("MALLOC_MMAP_THRESHOLD_", "1048576");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Matcher samples = SAMPLE.matcher(out);
        assertThat(samples.find()).as(out).isTrue();
        long rssBefore = Long.parseLong(samples.group(2));
        long fdsBefore = Long.parseLong(samples.group(3));
        assertThat(samples.find()).as(out).isTrue();
        long rssAfter = Long.parseLong(samples.group(2));
        long fdsAfter = Long.parseLong(samples.group(3));
        System.out.printf("soak: 200 jobs after 5: RSS %d → %d MiB (%+d MiB), file descriptors %d → %d%n",
                rssBefore >> 10, rssAfter >> 10, (rssAfter - rssBefore) >> 10, fdsBefore, fdsAfter);
        assertThat(rssAfter - rssBefore).isLessThanOrEqualTo(64L << 10);
        assertThat(fdsAfter).isLessThanOrEqualTo(fdsBefore);
    }
}
