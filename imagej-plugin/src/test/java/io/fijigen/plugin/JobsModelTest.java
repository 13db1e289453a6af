package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.JobEntry.State;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Jobs window's model, without a window: states, history, titles and status words. */
class JobsModelTest {
    private static final Runnable NOTHING = () -> {};

    @Test
    void aJobGoesFromQueuedThroughItsStepsIntoTheHistory() {
        JobsModel model = new JobsModel(10);
        byte[] preview = {1, 2, 3};

        long id = model.add("Inpaint Selection", "a round cell", NOTHING, null);
        assertThat(model.active()).singleElement().satisfies(job -> {
            assertThat(job.state()).isEqualTo(State.QUEUED);
            assertThat(job.status()).isEqualTo("queued");
            assertThat(job.title()).isEqualTo("a round cell");
        });
        model.queued(id, 2);
        assertThat(model.active().get(0).status()).isEqualTo("queued, 2 ahead");
        model.started(id);
        assertThat(model.active().get(0).status()).isEqualTo("starting");
        model.step(id, 1, 20, preview);
        model.step(id, 2, 20, new byte[0]);
        JobEntry running = model.active().get(0);
        assertThat(running.state()).isEqualTo(State.RUNNING);
        assertThat(running.status()).isEqualTo("step 2/20");
        assertThat(running.preview()).as("an empty preview keeps the last").isSameAs(preview);
        assertThat(model.history()).isEmpty();

        model.ended(id, State.FINISHED, "a round cell\nSteps: 20, Seed: 5", 3.2);

        assertThat(model.active()).isEmpty();
        assertThat(model.history()).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(id);
            assertThat(job.state()).isEqualTo(State.FINISHED);
            assertThat(job.status()).isEqualTo("finished in 3.2 s");
            assertThat(job.parameters()).isEqualTo("a round cell\nSteps: 20, Seed: 5");
            assertThat(job.command()).isEqualTo("Inpaint Selection");
            assertThat(job.preview()).isNull();
            assertThat(job.cancel()).isNull();
        });
    }

    @Test
    void aQueuedJobMayEndCancelledOrFailedWithoutAResult() {
        JobsModel model = new JobsModel(10);
        long cancelled = model.add("Generate", "x", NOTHING, null);
        long failed = model.add("Generate", "y", NOTHING, null);
        assertThat(model.active()).extracting(JobEntry::id).containsExactly(cancelled, failed);

        model.ended(cancelled, State.CANCELLED, null, 1.04);
        model.ended(failed, State.FAILED, "", 0.5);

        assertThat(model.history()).extracting(JobEntry::status).containsExactly(
                "failed after 0.5 s (the Log has the message)", "cancelled after 1.0 s, nothing was inserted");
        assertThat(model.history()).extracting(JobEntry::parameters).containsExactly("", "");
    }

    @Test
    void aJobCancelledWhileRunningSaysAtWhichStep() {
        JobsModel model = new JobsModel(10);
        long id = model.add("Generate", "x", NOTHING, null);
        model.started(id);
        model.step(id, 7, 500, null);

        model.ended(id, State.CANCELLED, "", 2.0);

        assertThat(model.history().get(0).status()).isEqualTo("cancelled at step 7/500 after 2.0 s, nothing was inserted");
    }

    @Test
    void theHistoryKeepsTheNewestJobsUpToItsSize() {
        JobsModel model = new JobsModel(3);
        for (int i = 1; i <= 5; i++) {
            model.ended(model.add("Generate", "job " + i, NOTHING, null), State.FINISHED, "job " + i, i);
        }
        assertThat(model.history()).extracting(JobEntry::title).containsExactly("job 5", "job 4", "job 3");
    }

    @Test
    void eventsOutOfOrderAreRefused() {
        JobsModel model = new JobsModel(10);
        long id = model.add("Upscale", "", NOTHING, null);
        model.started(id);

        assertThatThrownBy(() -> model.started(id)).isInstanceOf(IllegalStateException.class)
                .hasMessage("job " + id + " is RUNNING, not QUEUED");
        assertThatThrownBy(() -> model.queued(id, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("job " + id + " is RUNNING, not QUEUED");
        assertThatThrownBy(() -> model.ended(id, State.RUNNING, "", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RUNNING is not how a job ends");
        model.ended(id, State.CANCELLED, "", 1);
        assertThatThrownBy(() -> model.step(id, 1, 2, null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("job " + id + " has ended");
        assertThatThrownBy(() -> model.step(99, 1, 2, null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("job 99 is unknown");
        assertThat(model.history()).extracting(JobEntry::state).containsExactly(State.CANCELLED);
    }

    @Test
    void listenersHearEveryChangeUntilRemoved() {
        JobsModel model = new JobsModel(10);
        AtomicInteger changes = new AtomicInteger();
        Runnable listener = changes::incrementAndGet;
        model.addListener(listener);
        long id = model.add("Generate", "x", NOTHING, null);
        model.started(id);
        model.step(id, 1, 1, null);
        model.ended(id, State.FINISHED, "x", 1);
        model.removeListener(listener);
        model.add("Generate", "y", NOTHING, null);

        assertThat(changes).hasValue(4);
    }

    @Test
    void aJobsCancelIsItsOwnWhileItRunsAndItsRerunStaysAfter() {
        JobsModel model = new JobsModel(10);
        AtomicInteger cancels = new AtomicInteger();
        AtomicInteger reruns = new AtomicInteger();
        long id = model.add("Generate", "x", cancels::incrementAndGet, reruns::incrementAndGet);

        model.active().get(0).cancel().run();
        model.ended(id, State.CANCELLED, "", 1);
        model.history().get(0).rerun().run();

        assertThat(cancels).hasValue(1);
        assertThat(reruns).hasValue(1);
    }

    @Test
    void aTitleIsThePromptsFirstWords() {
        assertThat(JobEntry.title("  a round cell ")).isEqualTo("a round cell");
        assertThat(JobEntry.title("one two three four five six seven eight")).isEqualTo("one two three four five six …");
        assertThat(JobEntry.title("x".repeat(50))).isEqualTo("x".repeat(JobEntry.TITLE_CHARS - 1) + "…");
        assertThat(JobEntry.title("")).isEqualTo("(no prompt)");
        assertThat(JobEntry.title(null)).isEqualTo("(no prompt)");
    }
}
