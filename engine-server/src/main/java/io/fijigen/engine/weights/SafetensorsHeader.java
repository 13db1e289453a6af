package io.fijigen.engine.weights;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parsed JSON header of a safetensors file: tensor entries in header order and metadata. */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

    private static final String METADATA_KEY = "__metadata__";

    /**
     * Parses the header bytes and checks every entry against the data region's length.
     *
     * @param dataLength bytes in the file after the header
     */
    static SafetensorsHeader parse(Path file, ByteBuffer headerBytes, long dataLength)
            throws SafetensorsFormatException {
        JsonObject root = parseJson(file, decodeUtf8(file, headerBytes));
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
            String name = entry.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(file, entry.getValue());
            } else {
                tensors.put(name, parseEntry(file, name, entry.getValue(), dataLength));
            }
        }
        return new SafetensorsHeader(
                Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws SafetensorsFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "header is not valid UTF-8", e);
        }
    }

    private static JsonObject parseJson(Path file, String json) throws SafetensorsFormatException {
        // Gson's JsonParser is lenient (unquoted names, single quotes); a strict reader rejects
        // anything that is not JSON, as the reference parser does.
        JsonElement root;
        boolean trailingText;
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            root = new Gson().getAdapter(JsonElement.class).read(reader);
            trailingText = reader.peek() != JsonToken.END_DOCUMENT;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (trailingText) {
            throw new SafetensorsFormatException(file, "header is not valid JSON: text after the object");
        }
        if (!root.isJsonObject()) {
            throw new SafetensorsFormatException(file, "header is not a JSON object");
        }
        return root.getAsJsonObject();
    }

    private static Map<String, String> parseMetadata(Path file, JsonElement value)
            throws SafetensorsFormatException {
        if (!value.isJsonObject()) {
            throw new SafetensorsFormatException(file, METADATA_KEY + " is not an object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new SafetensorsFormatException(
                        file, METADATA_KEY + " entry '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), v.getAsString());
        }
        return metadata;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonElement value, long dataLength)
            throws SafetensorsFormatException {
        if (!value.isJsonObject()) {
            throw bad(file, name, "entry is not an object");
        }
        JsonObject entry = value.getAsJsonObject();
        String dtypeName = requireString(file, name, entry, "dtype");
        TensorDtype dtype = TensorDtype.fromHeaderName(dtypeName)
                .orElseThrow(() -> bad(file, name, "unsupported dtype " + dtypeName
                        + " (supported: F64, F32, F16, BF16, I64, I32, U8)"));
        long[] shape = requireLongs(file, name, entry, "shape");
        long[] offsets = requireLongs(file, name, entry, "data_offsets");
        if (offsets.length != 2) {
            throw bad(file, name, "data_offsets must have 2 entries, has " + offsets.length);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw bad(file, name, "data_offsets [" + begin + ", " + end + "] are reversed");
        }
        if (end > dataLength) {
            throw bad(file, name, "data_offsets [" + begin + ", " + end + "] point past the end of the data ("
                    + dataLength + " bytes); the file is truncated");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(info.elementCount(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw bad(file, name, "shape is too large");
        }
        if (end - begin != expected) {
            throw bad(file, name, "data_offsets span " + (end - begin) + " bytes but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return info;
    }

    private static String requireString(Path file, String name, JsonObject entry, String field)
            throws SafetensorsFormatException {
        JsonElement value = entry.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw bad(file, name, "field '" + field + "' is missing or not a string");
        }
        return value.getAsString();
    }

    private static long[] requireLongs(Path file, String name, JsonObject entry, String field)
            throws SafetensorsFormatException {
        JsonElement value = entry.get(field);
        if (value == null || !value.isJsonArray()) {
            throw bad(file, name, "field '" + field + "' is missing or not an array");
        }
        JsonArray array = value.getAsJsonArray();
        long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            JsonElement item = array.get(i);
            try {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
                    throw new ArithmeticException();
                }
                result[i] = new BigDecimal(item.getAsString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                result[i] = -1;
            }
            if (result[i] < 0) {
                throw bad(file, name, "field '" + field + "' must hold non-negative integers, has " + item);
            }
        }
        return result;
    }

    private static SafetensorsFormatException bad(Path file, String tensor, String problem) {
        return new SafetensorsFormatException(file, "tensor '" + tensor + "': " + problem);
    }
}
