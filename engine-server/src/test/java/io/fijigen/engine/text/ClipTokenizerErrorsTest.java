package io.fijigen.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken tokenizer folders fail with messages that say which folder or file is at fault. */
class ClipTokenizerErrorsTest {

    private static final String VOCAB = "{\"a</w>\": 0, \"b</w>\": 1, \"a\": 2, \"ab</w>\": 3,"
            + " \"<|startoftext|>\": 4, \"<|endoftext|>\": 5}";

    @TempDir
    Path dir;

    @Test
    void missingFolderNamesFolderAndFiles() {
        Path missing = dir.resolve("no-such-tokenizer");
        assertThatThrownBy(() -> ClipTokenizer.load(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("vocab.json")
                .hasMessageContaining("merges.txt");
    }

    @Test
    void emptyFolderNamesTheFilesItLookedFor() {
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("vocab.json")
                .hasMessageContaining("merges.txt");
    }

    @Test
    void missingMergesIsNamed() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("no merges.txt");
    }

    @Test
    void corruptVocabJsonNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 0, \"b</w>\": ");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b</w>\n");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Corrupt JSON")
                .hasMessageContaining(dir.resolve("vocab.json").toString());
    }

    @Test
    void corruptTokenizerJsonNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": [1, 2");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Corrupt JSON")
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void corruptConfigNamesTheFile() throws IOException {
        writeTinyVocabAndMerges();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": ");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Corrupt JSON")
                .hasMessageContaining(dir.resolve("tokenizer_config.json").toString());
    }

    @Test
    void tokenizerJsonWithoutVocabularyIsNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"merges\": []}}");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("vocabulary");
    }

    @Test
    void mergeOutsideTheVocabularyIsNamed() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nb a\n");
        assertThatThrownBy(() -> ClipTokenizer.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("vocab.json").toString())
                .hasMessageContaining("'b a'");
    }

    @Test
    void tinyHandWrittenTokenizerWorksWithDefaults() throws IOException {
        writeTinyVocabAndMerges();
        ClipTokenizer tokenizer = ClipTokenizer.load(dir);

        assertThat(tokenizer.encode("AB a")).containsExactly(4, 3, 0, 5);
        assertThat(tokenizer.padId()).isEqualTo(5);
        assertThat(tokenizer.maxLength()).isEqualTo(77);
        assertThat(tokenizer.encodePadded("ab", 5)).containsExactly(4, 3, 5, 5, 5);
    }

    @Test
    void padTokenObjectInSpecialTokensMapOverridesConfig() throws IOException {
        writeTinyVocabAndMerges();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"a</w>\", \"model_max_length\": 4}");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": {\"content\": \"b</w>\"}}");
        ClipTokenizer tokenizer = ClipTokenizer.load(dir);

        assertThat(tokenizer.padId()).isEqualTo(1);
        assertThat(tokenizer.encodePadded("a", tokenizer.maxLength())).containsExactly(4, 0, 5, 1);
    }

    private void writeTinyVocabAndMerges() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b</w>\n");
    }
}
