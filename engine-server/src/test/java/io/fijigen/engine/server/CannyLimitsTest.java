package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.Image;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Canny over loopback from many clients at once: at most {@link EngineService#CANNY_RUNNING}
 * compute at a time, {@link EngineService#CANNY_WAITING} more wait, the rest are refused at once
 * with RESOURCE_EXHAUSTED, and the server's resident memory grows by a few images' worth, not one
 * per call.
 */
class CannyLimitsTest extends LoopbackEngineTestBase {
    private static final int CALLS = 16;
    private static final int SIDE = 2048;

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    /** A checkerboard: edges everywhere, so Canny does its whole work, in a PNG under the 4 MiB message limit. */
    private static ByteString checkerboardPng() throws Exception {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.setRGB(x, y, (x / 8 + y / 8) % 2 == 0 ? 0xffffff : 0x202020);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private static int cannyThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("fijigen-canny-") && thread.getState() == Thread.State.RUNNABLE)
                .count();
    }

    @Test
    void concurrentCallsRunAtMostTwoAtOnceAndTheRestAreRefusedOrWait() throws Exception {
        CannyRequest request = CannyRequest.newBuilder().setImage(checkerboardPng()).build();
        System.gc();
        long before = residentBytes();
        AtomicLong peak = new AtomicLong(before);
        AtomicInteger mostThreads = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    peak.accumulateAndGet(residentBytes(), Math::max);
                    mostThreads.accumulateAndGet(cannyThreads(), Math::max);
                    Thread.sleep(5);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sampler.start();
        ExecutorService clients = Executors.newFixedThreadPool(CALLS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Status>> outcomes = new ArrayList<>();
        Map<Status.Code, AtomicInteger> counts = new ConcurrentHashMap<>();
        for (int i = 0; i < CALLS; i++) {
            outcomes.add(clients.submit(() -> {
                go.await();
                try {
                    Image edges = EngineGrpc.newBlockingStub(engine.channel).withDeadlineAfter(120, TimeUnit.SECONDS)
                            .canny(request);
                    assertThat(edges.getWidth()).isEqualTo(SIDE);
                    return Status.OK;
                } catch (StatusRuntimeException e) {
                    return e.getStatus();
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<Status> outcome : outcomes) {
            Status status = outcome.get(180, TimeUnit.SECONDS);
            counts.computeIfAbsent(status.getCode(), code -> new AtomicInteger()).incrementAndGet();
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                assertThat(status.getDescription()).contains("Canny calls are running").contains("retry later");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        clients.shutdown();
        System.out.printf("%d concurrent Canny calls on %d²: %s in %.1f s; at most %d computing at once;"
                + " RSS %d MB before, peak +%d MB%n", CALLS, SIDE, counts, seconds, mostThreads.get(),
                before >> 20, (peak.get() - before) >> 20);
        assertThat(mostThreads.get()).isBetween(1, EngineService.CANNY_RUNNING);
        assertThat(counts.get(Status.Code.OK).get())
                .isBetween(EngineService.CANNY_RUNNING, EngineService.CANNY_RUNNING + EngineService.CANNY_WAITING + 2);
        assertThat(counts.get(Status.Code.RESOURCE_EXHAUSTED).get()).isPositive();
        assertThat(counts.get(Status.Code.OK).get() + counts.get(Status.Code.RESOURCE_EXHAUSTED).get()).isEqualTo(CALLS);
        assertThat(peak.get() - before).isLessThan(1L << 30);
    }
}
