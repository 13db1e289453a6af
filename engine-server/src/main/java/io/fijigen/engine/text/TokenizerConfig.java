package io.fijigen.engine.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code tokenizer_config.json} and {@code special_tokens_map.json} say about special tokens
 * and the length limit. Both files are optional.
 *
 * @param specialTokens by role ({@code bos_token}, {@code eos_token}, {@code unk_token}, {@code pad_token})
 * @param addedTokensDecoder the {@code added_tokens_decoder} entries, with their ids
 * @param maxLength {@code model_max_length}, or {@link #DEFAULT_MAX_LENGTH}
 */
record TokenizerConfig(Map<String, AddedToken> specialTokens, List<AddedToken> addedTokensDecoder, int maxLength) {

    static final String CONFIG_JSON = "tokenizer_config.json";
    static final String SPECIAL_TOKENS_MAP_JSON = "special_tokens_map.json";
    static final int DEFAULT_MAX_LENGTH = 77;
    static final List<String> ROLES = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    static TokenizerConfig read(Path dir) throws IOException {
        Map<String, AddedToken> special = new HashMap<>();
        List<AddedToken> decoder = new ArrayList<>();
        int maxLength = DEFAULT_MAX_LENGTH;
        Path configFile = dir.resolve(CONFIG_JSON);
        if (Files.isRegularFile(configFile)) {
            JsonObject config = TokenizerFiles.object(TokenizerFiles.readJson(configFile), configFile, "the top level");
            readSpecialTokens(config, configFile, special);
            readAddedTokensDecoder(config, configFile, decoder);
            maxLength = readMaxLength(config, configFile);
        }
        // Read second because the reference lets special_tokens_map.json override the config.
        Path mapFile = dir.resolve(SPECIAL_TOKENS_MAP_JSON);
        if (Files.isRegularFile(mapFile)) {
            readSpecialTokens(TokenizerFiles.object(TokenizerFiles.readJson(mapFile), mapFile, "the top level"),
                    mapFile, special);
        }
        return new TokenizerConfig(Map.copyOf(special), List.copyOf(decoder), maxLength);
    }

    Optional<String> content(String role) {
        return Optional.ofNullable(specialTokens.get(role)).map(AddedToken::content);
    }

    /** A role's value is a string or an object with "content"; an explicit null unsets it. */
    private static void readSpecialTokens(JsonObject json, Path file, Map<String, AddedToken> special)
            throws IOException {
        for (String role : ROLES) {
            if (!json.has(role)) {
                continue;
            }
            JsonElement value = json.get(role);
            if (value.isJsonNull()) {
                special.remove(role);
            } else if (value.isJsonObject()) {
                JsonObject token = value.getAsJsonObject();
                special.put(role, new AddedToken(TokenizerFiles.string(token, "content", file), AddedToken.UNASSIGNED,
                        TokenizerFiles.flag(token, "normalized")));
            } else {
                special.put(role, AddedToken.special(TokenizerFiles.string(json, role, file)));
            }
        }
    }

    private static void readAddedTokensDecoder(JsonObject config, Path file, List<AddedToken> decoder)
            throws IOException {
        JsonElement entries = config.get("added_tokens_decoder");
        if (entries == null || entries.isJsonNull()) {
            return;
        }
        for (Map.Entry<String, JsonElement> entry : TokenizerFiles.object(entries, file, "added_tokens_decoder").entrySet()) {
            JsonObject token = TokenizerFiles.object(entry.getValue(), file, "added_tokens_decoder." + entry.getKey());
            int id;
            try {
                id = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": added_tokens_decoder key '" + entry.getKey() + "' is not an id", e);
            }
            decoder.add(new AddedToken(TokenizerFiles.string(token, "content", file), id,
                    TokenizerFiles.flag(token, "normalized")));
        }
    }

    /** Configs without a real limit store a huge placeholder (1e30); SD's text encoders take 77. */
    private static int readMaxLength(JsonObject config, Path file) throws IOException {
        JsonElement value = config.get("model_max_length");
        if (value == null || value.isJsonNull()) {
            return DEFAULT_MAX_LENGTH;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IOException(file + ": 'model_max_length' is not a number");
        }
        double length = value.getAsDouble();
        return length >= 2 && length <= Integer.MAX_VALUE ? (int) length : DEFAULT_MAX_LENGTH;
    }
}
