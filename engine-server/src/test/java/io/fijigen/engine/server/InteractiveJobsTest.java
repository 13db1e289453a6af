package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.v1.CancelRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interactive (live-mode) jobs over gRPC: a newer one of the same session drops the one waiting,
 * which ends CANCELLED without running and is counted as dropped; one of another session waits
 * ahead of an ordinary job; a session name is bounded.
 */
class InteractiveJobsTest {
    private static LoopbackEngine engine;
    private static EngineGrpc.EngineBlockingStub stub;

    /** Room for four waiting jobs: the running one, "panel"'s, another panel's and an ordinary one. */
    @BeforeAll
    static void startEngine() throws Exception {
        engine = new LoopbackEngine(4);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        engine.close();
    }

    private static final Pattern DROPPED = Pattern.compile("fijigen_jobs_total\\{outcome=\"dropped\"} (\\d+)");

    /** A call's events and how it ended. */
    private static final class Call implements StreamObserver<JobEvent> {
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();

        @Override
        public void onNext(JobEvent event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable error) {
            end.complete(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        Status await() throws Exception {
            return end.get(60, TimeUnit.SECONDS);
        }

        List<Integer> positions() {
            return events.stream().filter(JobEvent::hasQueued).map(event -> event.getQueued().getPosition()).toList();
        }

        boolean started() {
            return events.stream().anyMatch(JobEvent::hasStarted);
        }
    }

    private static GenerateRequest.Builder small(int steps) {
        return GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cell").setSteps(steps)
                .setWidth(64).setHeight(64).setSeed(3);
    }

    /** Sends {@code request} and waits until it is queued: calls sent at once may reach the queue in any order. */
    private static Call send(GenerateRequest request) throws InterruptedException {
        Call call = new Call();
        EngineGrpc.newStub(engine.channel).withDeadlineAfter(120, TimeUnit.SECONDS).generate(request, call);
        while (call.positions().isEmpty() && !call.end.isDone()) {
            Thread.sleep(2);
        }
        return call;
    }

    private static long dropped() {
        Matcher count = DROPPED.matcher(engine.service.metrics().text());
        assertThat(count.find()).isTrue();
        return Long.parseLong(count.group(1));
    }

    @Test
    void aNewerInteractiveJobDropsTheWaitingOneAndAnotherSessionsWaitsAheadOfOrdinaryJobs() throws Exception {
        long droppedBefore = dropped();
        Iterator<JobEvent> busy = stub.withDeadlineAfter(120, TimeUnit.SECONDS).generate(small(900).build());
        String busyId = busy.next().getQueued().getJobId();
        assertThat(busy.next().hasStarted()).isTrue();

        Call first = send(small(1).setInteractive(true).setSession("panel").build());
        Call second = send(small(1).setInteractive(true).setSession("panel").build());
        Call third = send(small(1).setInteractive(true).setSession("panel").build());
        Status firstEnd = first.await();
        Status secondEnd = second.await();
        Call ordinary = send(small(1).build());
        Call otherPanel = send(small(1).setInteractive(true).setSession("another panel").build());
        stub.cancel(CancelRequest.newBuilder().setJobId(busyId).build());

        assertThat(firstEnd.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(firstEnd.getDescription()).isEqualTo("the job was dropped before it started: a newer"
                + " interactive job of the same client replaced it");
        assertThat(secondEnd.getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(first.started()).isFalse();
        assertThat(second.started()).isFalse();
        assertThat(third.await().getCode()).isEqualTo(Status.Code.OK);
        assertThat(otherPanel.await().getCode()).isEqualTo(Status.Code.OK);
        assertThat(ordinary.await().getCode()).isEqualTo(Status.Code.OK);
        // Behind the running job and "panel"'s third: the ordinary job is pushed from 2 to 3.
        assertThat(third.positions()).containsExactly(1);
        assertThat(otherPanel.positions().get(0)).isEqualTo(2);
        assertThat(ordinary.positions().subList(0, 2)).containsExactly(2, 3);
        assertThat(dropped() - droppedBefore).isEqualTo(2);
    }

    @Test
    void aSessionNameOfMoreThan128CharactersIsRefused() {
        Status refused = GrpcProbes.failure(() -> WireRequests.events(stub.generate(
                small(1).setInteractive(true).setSession("x".repeat(129)).build())));
        assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).isEqualTo("session: 129 characters, more than 128");
    }
}
