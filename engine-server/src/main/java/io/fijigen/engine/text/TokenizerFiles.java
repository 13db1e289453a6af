package io.fijigen.engine.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The BPE model of a Hugging Face tokenizer folder: {@code tokenizer.json} if present (the
 * reference prefers it), else {@code vocab.json} + {@code merges.txt}.
 *
 * @param source the file the vocabulary came from, for messages
 * @param vocab token to id
 * @param merges pairs in rank order
 * @param addedTokens {@code added_tokens} of tokenizer.json (none for vocab.json)
 * @param unkToken {@code model.unk_token} of tokenizer.json
 * @param padId {@code padding.pad_id} of tokenizer.json
 */
record TokenizerFiles(Path source, Map<String, Integer> vocab, List<String[]> merges,
        List<AddedToken> addedTokens, Optional<String> unkToken, OptionalInt padId) {

    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String VOCAB_JSON = "vocab.json";
    static final String MERGES_TXT = "merges.txt";
    private static final String LOOKED_FOR = "looked for " + TOKENIZER_JSON + ", or " + VOCAB_JSON + " and " + MERGES_TXT;

    static TokenizerFiles read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("Tokenizer folder " + dir + " does not exist (" + LOOKED_FOR + ")");
        }
        Path tokenizerJson = dir.resolve(TOKENIZER_JSON);
        if (Files.isRegularFile(tokenizerJson)) {
            return readTokenizerJson(tokenizerJson);
        }
        Path vocabJson = dir.resolve(VOCAB_JSON);
        Path mergesTxt = dir.resolve(MERGES_TXT);
        if (Files.isRegularFile(vocabJson) && Files.isRegularFile(mergesTxt)) {
            return new TokenizerFiles(vocabJson, readVocab(vocabJson, readJson(vocabJson)), readMergesTxt(mergesTxt),
                    List.of(), Optional.empty(), OptionalInt.empty());
        }
        String found = Files.isRegularFile(vocabJson) ? "has " + VOCAB_JSON + " but no " + MERGES_TXT
                : Files.isRegularFile(mergesTxt) ? "has " + MERGES_TXT + " but no " + VOCAB_JSON
                : "has no tokenizer files";
        throw new FileNotFoundException("Tokenizer folder " + dir + " " + found + " (" + LOOKED_FOR + ")");
    }

    /** Parses a JSON file; a syntax error becomes an IOException naming the file. */
    static JsonElement readJson(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new IOException("Corrupt JSON in " + file + ": " + e.getMessage(), e);
        }
    }

    private static TokenizerFiles readTokenizerJson(Path file) throws IOException {
        JsonObject root = object(readJson(file), file, "the top level");
        JsonObject model = object(root.get("model"), file, "model");
        Map<String, Integer> vocab = readVocab(file, model.get("vocab"));
        List<String[]> merges = new ArrayList<>();
        for (JsonElement merge : array(model.get("merges"), file, "model.merges")) {
            merges.add(readMerge(merge, file, merges.size() + 1));
        }
        List<AddedToken> added = new ArrayList<>();
        if (root.has("added_tokens") && !root.get("added_tokens").isJsonNull()) {
            for (JsonElement element : array(root.get("added_tokens"), file, "added_tokens")) {
                JsonObject token = object(element, file, "an entry of added_tokens");
                added.add(new AddedToken(string(token, "content", file), integer(token, "id", file),
                        flag(token, "normalized")));
            }
        }
        Optional<String> unk = model.has("unk_token") && !model.get("unk_token").isJsonNull()
                ? Optional.of(string(model, "unk_token", file)) : Optional.empty();
        JsonElement padding = root.get("padding");
        OptionalInt padId = padding != null && padding.isJsonObject() && padding.getAsJsonObject().has("pad_id")
                ? OptionalInt.of(integer(padding.getAsJsonObject(), "pad_id", file)) : OptionalInt.empty();
        return new TokenizerFiles(file, vocab, merges, added, unk, padId);
    }

    private static Map<String, Integer> readVocab(Path file, JsonElement json) throws IOException {
        JsonObject object = object(json, file, "the vocabulary");
        Map<String, Integer> vocab = new HashMap<>(object.size() * 2);
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            JsonElement id = entry.getValue();
            if (!id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
                throw new IOException(file + ": vocabulary entry '" + entry.getKey() + "' has no numeric id");
            }
            vocab.put(entry.getKey(), id.getAsInt());
        }
        return vocab;
    }

    /** Older files write a merge as "left right", newer ones as ["left", "right"]. */
    private static String[] readMerge(JsonElement merge, Path file, int number) throws IOException {
        if (merge.isJsonArray()) {
            JsonArray pair = merge.getAsJsonArray();
            if (pair.size() == 2 && pair.get(0).isJsonPrimitive() && pair.get(1).isJsonPrimitive()) {
                return new String[] {pair.get(0).getAsString(), pair.get(1).getAsString()};
            }
        } else if (merge.isJsonPrimitive()) {
            return splitMerge(merge.getAsString(), file, number);
        }
        throw new IOException(file + ": merge " + number + " is not a pair of tokens: " + merge);
    }

    /** One merge per line; the "#version" header line (and blank lines) are not merges. */
    private static List<String[]> readMergesTxt(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> merges = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isEmpty() && !line.startsWith("#version")) {
                merges.add(splitMerge(line, file, i + 1));
            }
        }
        return merges;
    }

    private static String[] splitMerge(String merge, Path file, int number) throws IOException {
        String[] parts = merge.split(" ", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IOException(file + ": merge " + number + " is not two tokens separated by a space: '" + merge + "'");
        }
        return parts;
    }

    static JsonObject object(JsonElement json, Path file, String what) throws IOException {
        if (json == null || !json.isJsonObject()) {
            throw new IOException(file + ": " + what + " is missing or not a JSON object");
        }
        return json.getAsJsonObject();
    }

    private static JsonArray array(JsonElement json, Path file, String what) throws IOException {
        if (json == null || !json.isJsonArray()) {
            throw new IOException(file + ": " + what + " is missing or not a JSON array");
        }
        return json.getAsJsonArray();
    }

    static String string(JsonObject json, String key, Path file) throws IOException {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive()) {
            throw new IOException(file + ": '" + key + "' is missing or not a string");
        }
        return value.getAsString();
    }

    private static int integer(JsonObject json, String key, Path file) throws IOException {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IOException(file + ": '" + key + "' is missing or not a number");
        }
        return value.getAsInt();
    }

    /** An optional boolean field, false when absent. */
    static boolean flag(JsonObject json, String key) {
        JsonElement value = json.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsBoolean();
    }
}
