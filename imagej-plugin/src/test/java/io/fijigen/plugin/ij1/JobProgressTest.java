package io.fijigen.plugin.ij1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.JobEntry;
import io.fijigen.plugin.JobsModel;
import io.fijigen.plugin.LoopbackClientTestBase;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.SliceRange;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.layers.LivePreview;
import io.fijigen.proto.client.JobListener;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Esc, live previews and the Jobs model while a real job runs on a loopback engine. */
class JobProgressTest extends LoopbackClientTestBase {
    @Test
    void escCancelsTheJobAndNothingIsInserted() {
        ImagePlus imp = TestImages.gradient(64, 64);
        GenerateAction action = new GenerateAction(client);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "esc").withSteps(150).withSeed(1)
                .withStrength(1.0);
        List<Integer> steps = new ArrayList<>();

        try (JobProgress progress = new JobProgress("Generate", "esc", null, action::cancel, null)) {
            assertThatThrownBy(() -> action.run(options, imp, new JobListener() {
                @Override
                public void step(int step, int total, byte[] previewPng) {
                    progress.step(step, total, previewPng);
                    steps.add(step);
                    if (step == 1) {
                        IJ.setKeyDown(KeyEvent.VK_ESCAPE); // what ImageJ does when Esc is pressed
                    }
                }
            })).isInstanceOf(GenerationCancelledException.class);
        } finally {
            IJ.resetEscape();
        }
        assertThat(steps).startsWith(1).hasSizeLessThan(150);
        assertThat(imp.getOverlay()).isNull();
        JobEntry job = JobsModel.session().history().get(0);
        assertThat(job.state()).isEqualTo(JobEntry.State.CANCELLED);
        assertThat(job.title()).isEqualTo("esc");
        assertThat(job.step()).isEqualTo(steps.get(steps.size() - 1));
    }

    @Test
    void previewsShowAsALayerWhileTheJobRunsAndGoAfter() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        GenerateAction action = new GenerateAction(client);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "preview")
                .with(Generation.of("tiny-sd15", "preview").withSteps(3).withSeed(2).withPreviewEvery(1))
                .withStrength(1.0);
        List<Rectangle> previews = new ArrayList<>();
        List<byte[]> thumbnails = new ArrayList<>();
        Inserted inserted;

        try (JobProgress progress = new JobProgress("Generate", "preview",
                new LivePreview(imp, new Rectangle(0, 0, 64, 64), null), action::cancel, null)) {
            inserted = action.run(options, imp, new JobListener() {
                @Override
                public void step(int step, int total, byte[] previewPng) {
                    progress.step(step, total, previewPng);
                    previews.add(imp.getOverlay().get(LivePreview.NAME).getBounds());
                    thumbnails.add(JobsModel.session().active().get(0).preview());
                }
            });
            progress.finished(inserted);
        }

        assertThat(previews).isNotEmpty().allMatch(new Rectangle(0, 0, 64, 64)::equals);
        assertThat(imp.getOverlay().size()).isEqualTo(1);
        assertThat(imp.getOverlay().get(0)).isSameAs(inserted.layer());
        JobEntry job = JobsModel.session().history().get(0);
        assertThat(job.state()).isEqualTo(JobEntry.State.FINISHED);
        assertThat(job.parameters()).isEqualTo(inserted.result().getParameters()).startsWith("preview\n");
        assertThat(thumbnails).as("the Jobs window's thumbnails").hasSameSizeAs(previews).doesNotContainNull();
    }

    /** Planes 2 and 3 are queued and started while the batch's job runs: it stays one running job. */
    @Test
    void aBatchOverPlanesIsOneJobThatRunsUntilItsLastPlaneEnds() throws Exception {
        ImageStack stack = new ImageStack(32, 32);
        for (int z = 0; z < 3; z++) {
            stack.addSlice(TestImages.gradient(32, 32).getProcessor());
        }
        ImagePlus imp = new ImagePlus("planes", stack);
        PlanesRun.Options all = new PlanesRun.Options(SliceRange.all(), PlanesRun.Seeds.INCREMENT, false);
        PlanesRun.Outcome outcome;

        try (JobProgress progress = new JobProgress("Generate", "planes", null, client::cancel, null)) {
            outcome = new PlanesRun(client).run(imp, all.planes(imp, false, 1), 4L, all,
                    seed -> GenerateAction.job(GenerateOptions.img2img("tiny-sd15", "planes").withSteps(2)
                            .withSeed(seed), imp), progress);
            progress.finished(outcome.inserted().get(2));
        }

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.done()).isEqualTo(3);
        JobEntry job = JobsModel.session().history().get(0);
        assertThat(job.title()).isEqualTo("planes");
        assertThat(job.state()).isEqualTo(JobEntry.State.FINISHED);
        assertThat(job.steps()).isEqualTo(2);
    }

    @Test
    void aJobThatFailsEndsFailedInTheJobsModel() {
        ImagePlus imp = TestImages.gradient(32, 32);
        GenerateAction action = new GenerateAction(client);

        try (JobProgress progress = new JobProgress("Generate", "no model", null, action::cancel, null)) {
            assertThatThrownBy(() -> action.run(GenerateOptions.img2img("no-such-model", "no model"), imp, progress))
                    .hasMessageStartingWith("the engine has no model 'no-such-model'");
        }

        JobEntry job = JobsModel.session().history().get(0);
        assertThat(job.state()).isEqualTo(JobEntry.State.FAILED);
        assertThat(job.command()).isEqualTo("Generate");
        assertThat(job.status()).startsWith("failed after ");
    }

    /** Each job of a batch queues and starts: the batch stays one running job in the Jobs model until its end. */
    @Test
    void aBatchsJobsAreOneRunningJobUntilItEnds() {
        try (JobProgress progress = new JobProgress("Batch Folder", "/data/in", null, () -> {}, null)) {
            long id = JobsModel.session().active().get(JobsModel.session().active().size() - 1).id();
            for (int file = 0; file < 2; file++) {
                progress.file(file, 2, "f" + file + ".tif");
                progress.queued("job" + file, 1);
                progress.started("job" + file);
                progress.step(1, 2, new byte[0]);
                assertThat(JobsModel.session().active()).filteredOn(job -> job.id() == id)
                        .extracting(JobEntry::state).containsExactly(JobEntry.State.RUNNING);
            }
            progress.finished("2 done");
        }

        JobEntry job = JobsModel.session().history().get(0);
        assertThat(job.state()).isEqualTo(JobEntry.State.FINISHED);
        assertThat(job.parameters()).isEqualTo("2 done");
        assertThat(job.title()).isEqualTo("/data/in");
    }
}
