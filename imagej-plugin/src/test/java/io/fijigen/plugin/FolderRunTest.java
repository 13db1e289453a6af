package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.IJ;
import ij.io.FileSaver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder run on a loopback engine: one image open at a time, cancelling, and resuming. */
class FolderRunTest extends LoopbackClientTestBase {
    @TempDir
    Path root;

    private static final FolderRun.Command UPSCALE = new FolderRun.Command(PlanesRun.Options.CURRENT, 5L, false, 1,
            (engine, imp, seed) -> UpscaleAction.job(UpscaleOptions.of("tiny-x4-upscaler", "").withSteps(2)
                    .withSeed(seed), imp));

    @Test
    void cancellingKeepsTheFilesSavedAndTheNextRunResumesAfterThem() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        for (String name : List.of("a.png", "b.png", "c.png")) {
            new FileSaver(TestImages.gradient(32, 24)).saveAsPng(in.resolve(name).toString());
        }
        Path out = root.resolve("out");
        List<String> opened = new ArrayList<>();

        FolderRun.Outcome first = new FolderRun(client).run(BatchFolder.open(in, out), UPSCALE,
                new FolderRun.Progress() {
                    @Override
                    public void file(int index, int count, String name) {
                        opened.add((index + 1) + "/" + count + " " + name);
                        if (index == 1) {
                            // As Esc does, between the first file's end and the second's job.
                            client.cancel();
                        }
                    }
                });

        assertThat(opened).containsExactly("1/3 a.png", "2/3 b.png");
        assertThat(first.cancelled()).isTrue();
        assertThat(first.summary()).isEqualTo("1 done, 0 failed, 0 skipped (their results exist); cancelled, 2 left"
                + " for the next run");
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.tif", BatchFolder.CSV);
        }

        opened.clear();
        // One job a batch: the run goes on in a new batch after each, as past the engine's limit.
        FolderRun.Outcome second = new FolderRun(client, 1).run(BatchFolder.open(in, out), UPSCALE,
                new FolderRun.Progress() {
                    @Override
                    public void file(int index, int count, String name) {
                        opened.add((index + 1) + "/" + count + " " + name);
                    }
                });

        assertThat(opened).containsExactly("1/2 b.png", "2/2 c.png");
        assertThat(second.summary()).isEqualTo("2 done, 0 failed, 1 skipped (their results exist)");
        assertThat(TestImages.batchCsv(out)).extracting(row -> row.get(0) + " " + row.get(2))
                .containsExactly("file seed", "a.png 5", "b.png 5", "c.png 5");
        assertThat(IJ.openImage(out.resolve("c.tif").toString()).getWidth()).isEqualTo(128);
    }
}
