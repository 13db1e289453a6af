package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFolderTest {
    @TempDir
    Path root;

    @Test
    void imagesAreTakenByExtensionAndThoseWithAResultAreDone() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        for (String name : List.of("b.png", "a.tif", "c.JPG", "notes.txt", ".hidden.png")) {
            Files.writeString(in.resolve(name), "x");
        }
        Path out = root.resolve("out");
        BatchFolder batch = BatchFolder.open(in, out);

        assertThat(batch.images()).extracting(p -> p.getFileName().toString()).containsExactly("a.tif", "b.png", "c.JPG");
        Files.writeString(batch.result(in.resolve("b.png")), "result");
        assertThat(batch.result(in.resolve("b.png"))).isEqualTo(out.resolve("b.tif"));
        assertThat(batch.pending()).extracting(p -> p.getFileName().toString()).containsExactly("a.tif", "c.JPG");
    }

    @Test
    void theCsvKeepsARowPerDoneFileAcrossRunsAndDropsRowsWhoseResultIsGone() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        Path out = root.resolve("out");
        BatchFolder first = BatchFolder.open(in, out);
        for (String name : List.of("a.png", "b.png")) {
            Files.writeString(first.result(in.resolve(name)), "result");
            first.done(in.resolve(name), 7, 1.5, "a cat, \"striped\"\nSteps: 4, Seed: 7");
        }
        Files.delete(out.resolve("a.tif"));

        BatchFolder second = BatchFolder.open(in, out);
        Files.writeString(second.result(in.resolve("a.png")), "again");
        second.done(in.resolve("a.png"), 8, 2, "a dog");

        List<List<String>> rows = BatchFolder.Csv.read(Files.readString(out.resolve(BatchFolder.CSV)));
        assertThat(rows).containsExactly(BatchFolder.COLUMNS,
                List.of("b.png", "b.tif", "7", "1.50", "a cat, \"striped\"\nSteps: 4, Seed: 7"),
                List.of("a.png", "a.tif", "8", "2.00", "a dog"));
    }

    @Test
    void clashingNamesAndForeignCsvsAreRefusedBeforeAnyWork() throws Exception {
        Path in = Files.createDirectories(root.resolve("in"));
        Files.writeString(in.resolve("a.png"), "x");
        Files.writeString(in.resolve("a.tif"), "x");
        assertThatThrownBy(() -> BatchFolder.open(in, root.resolve("out")).images())
                .hasMessageContaining("a.png and a.tif would both be written as a.tif");

        Path out = Files.createDirectories(root.resolve("other"));
        Files.writeString(out.resolve(BatchFolder.CSV), "name,size\n");
        assertThatThrownBy(() -> BatchFolder.open(in, out)).hasMessageContaining("not a fijigen batch CSV");
        assertThatThrownBy(() -> BatchFolder.open(in, in)).hasMessageContaining("must differ");
        assertThatThrownBy(() -> BatchFolder.open(root.resolve("missing"), out)).hasMessageContaining("does not exist");
    }
}
