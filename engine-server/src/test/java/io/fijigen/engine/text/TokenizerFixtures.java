package io.fijigen.engine.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the parity fixtures are, and the tokenizer cases in them. */
final class TokenizerFixtures {

    /** One prompt of tokenizer_cases.json with the reference's ids. */
    record Case(int index, String prompt, int[] idsUntruncated, long[] sd15Ids, long[] sd2Ids) {

        @Override
        public String toString() {
            String shown = prompt.length() > 60 ? prompt.substring(0, 57) + "..." : prompt;
            return "#" + index + " \"" + shown.replace("\n", "\\n").replace("\t", "\\t").replace("\u00a0", "\\u00a0") + "\"";
        }
    }

    private TokenizerFixtures() {
    }

    /** The parity folder: from the test classpath, else from the module folder Surefire runs in. */
    static Path parityDir() {
        URL readme = TokenizerFixtures.class.getResource("/parity/README.md");
        try {
            Path dir = readme != null && "file".equals(readme.getProtocol())
                    ? Path.of(readme.toURI()).getParent() : Path.of("src/test/resources/parity");
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("parity fixtures not found at " + dir.toAbsolutePath());
            }
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tokenizerDir(String model) {
        return parityDir().resolve("models").resolve(model).resolve("tokenizer");
    }

    static List<Case> cases() {
        try (Reader reader = Files.newBufferedReader(parityDir().resolve("tokenizer_cases.json"), StandardCharsets.UTF_8)) {
            List<Case> cases = new ArrayList<>();
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                JsonObject json = element.getAsJsonObject();
                cases.add(new Case(cases.size(), json.get("prompt").getAsString(),
                        ints(json, "ids_untruncated"), longs(json, "sd15_ids"), longs(json, "sd2_ids")));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonObject json, String key) {
        int[] values = new int[json.getAsJsonArray(key).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = json.getAsJsonArray(key).get(i).getAsInt();
        }
        return values;
    }

    private static long[] longs(JsonObject json, String key) {
        long[] values = new long[json.getAsJsonArray(key).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = json.getAsJsonArray(key).get(i).getAsLong();
        }
        return values;
    }
}
