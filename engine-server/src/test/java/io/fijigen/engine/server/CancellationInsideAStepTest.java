package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.v1.CancelRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.Status;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job whose one step is long (an x4 upscale of 256² in tiles of 8: about a thousand UNet tiles,
 * then as many decoder tiles) stops within a bound once its client leaves, and the next job
 * starts at once: cancellation is polled between tiles, not only between steps.
 */
class CancellationInsideAStepTest extends LoopbackEngineTestBase {
    /** How long a cancelled job may keep the device: one tile of the tiny upscaler is milliseconds. */
    private static final double STOP_BOUND_S = 2;
    private static final Pattern CANCELLED = Pattern.compile("fijigen_jobs_total\\{outcome=\"cancelled\"} (\\d+)");

    private static UpscaleRequest oneStep(int side) {
        return UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler")
                .setImage(WireRequests.png(side, side, 0x806040)).setPrompt("a sharp photo")
                .setSteps(1).setTile(8).setTileOverlap(2).setSeed(1).build();
    }

    private static UpscaleRequest oneLongStep() {
        return oneStep(256);
    }

    /**
     * The model loaded and its tile shapes traced before the clock starts: a cold first job spends
     * its first seconds loading, before any cancellation point (and not inside a step).
     */
    @BeforeAll
    static void warmUp() {
        List<JobEvent> events = WireRequests.events(stub.withDeadlineAfter(120, TimeUnit.SECONDS).upscale(oneStep(16)));
        assertThat(events.get(events.size() - 1).hasResult()).isTrue();
    }

    private static long cancelledJobs() {
        Matcher count = CANCELLED.matcher(engine.service.metrics().text());
        assertThat(count.find()).isTrue();
        return Long.parseLong(count.group(1));
    }

    @Test
    void aJobAbandonedInsideItsOneStepStopsWithinTheBoundAndTheNextStartsAtOnce() throws Exception {
        long before = cancelledJobs();
        long sent = System.nanoTime();
        Status late = GrpcProbes.failure(() -> WireRequests.events(
                stub.withDeadlineAfter(1, TimeUnit.SECONDS).upscale(oneLongStep())));
        long abandoned = System.nanoTime();
        assertThat(late.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        while (cancelledJobs() == before) {
            assertThat((System.nanoTime() - abandoned) / 1e9).as("seconds until the server stopped the job")
                    .isLessThan(30);
            Thread.sleep(10);
        }
        double stopped = (System.nanoTime() - abandoned) / 1e9;
        Iterator<JobEvent> next = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .generate(WireRequests.fixtureRequest(session).setSteps(2).build());
        long asked = System.nanoTime();
        List<JobEvent> head = List.of(next.next(), next.next());
        double startedAfter = (System.nanoTime() - asked) / 1e9;
        List<JobEvent> rest = WireRequests.events(next);
        System.out.printf("upscale 256² tile 8, 1 step: abandoned after %.2f s, stopped %.2f s later;"
                + " the next job started %.2f s after it was sent%n", (abandoned - sent) / 1e9, stopped, startedAfter);
        assertThat(stopped).isLessThan(STOP_BOUND_S);
        assertThat(head.get(0).getQueued().getPosition()).isZero();
        assertThat(head.get(1).hasStarted()).isTrue();
        assertThat(startedAfter).isLessThan(1);
        assertThat(rest.get(rest.size() - 1).hasResult()).isTrue();
    }

    @Test
    void aCancelInsideTheStepEndsTheCallCancelledWithinTheBound() throws Exception {
        Iterator<JobEvent> events = stub.withDeadlineAfter(60, TimeUnit.SECONDS).upscale(oneLongStep());
        String jobId = events.next().getQueued().getJobId();
        assertThat(events.next().hasStarted()).isTrue();
        Thread.sleep(1000);
        long asked = System.nanoTime();
        assertThat(stub.cancel(CancelRequest.newBuilder().setJobId(jobId).build()).getCancelled())
                .isTrue();
        Status cancelled = GrpcProbes.failure(() -> events.forEachRemaining(event -> { }));
        double seconds = (System.nanoTime() - asked) / 1e9;
        System.out.printf("upscale 256² tile 8, 1 step: Cancel answered by CANCELLED %.2f s later%n", seconds);
        assertThat(cancelled.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(seconds).isLessThan(STOP_BOUND_S);
    }
}
