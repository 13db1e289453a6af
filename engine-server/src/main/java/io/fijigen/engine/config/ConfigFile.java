package io.fijigen.engine.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One JSON config file (diffusers' {@code config.json}, {@code model_index.json},
 * {@code scheduler_config.json}) with typed reads that name the file and key on every error.
 *
 * <p>Keys we do not know are ignored, so real configs with extra keys load. Keys we know but do
 * not implement go through {@link #requireDefault}: accepted at the reference's default value,
 * an error naming the option otherwise.
 */
public final class ConfigFile {
    private final String name;
    private final JsonObject json;

    private ConfigFile(String name, JsonObject json) {
        this.name = name;
        this.json = json;
    }

    public static ConfigFile read(Path file) throws IOException {
        String name = displayName(file);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "config file not found");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new ConfigException(name + ": expected a JSON object at the top level");
            }
            return new ConfigFile(name, root.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new ConfigException(name + ": not valid JSON (" + rootCause(e) + ")", e);
        }
    }

    /** A config made from JSON text, for values that do not come from a file. */
    public static ConfigFile parse(String name, String jsonText) {
        try {
            JsonElement root = JsonParser.parseString(jsonText);
            if (!root.isJsonObject()) {
                throw new ConfigException(name + ": expected a JSON object at the top level");
            }
            return new ConfigFile(name, root.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new ConfigException(name + ": not valid JSON (" + rootCause(e) + ")", e);
        }
    }

    /** The file's name with its folder, e.g. {@code unet/config.json}: enough to find it. */
    public String name() {
        return name;
    }

    public boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    public List<String> keys() {
        return new ArrayList<>(json.keySet());
    }

    public int intValue(String key, int defaultValue) {
        return has(key) ? toInt(key, json.get(key)) : defaultValue;
    }

    /** An integer that may be absent or null (null in the reference means "feature off"). */
    public Integer optionalInt(String key) {
        return has(key) ? toInt(key, json.get(key)) : null;
    }

    /**
     * A head count that must divide {@code hiddenSize}: attention splits the hidden width evenly
     * between the heads.
     */
    public int headCount(String key, int defaultValue, int hiddenSize) {
        int heads = intValue(key, defaultValue);
        if (heads <= 0 || hiddenSize % heads != 0) {
            throw invalid(key, "= " + heads + " does not divide hidden_size " + hiddenSize);
        }
        return heads;
    }

    public double doubleValue(String key, double defaultValue) {
        return has(key) ? toDouble(key, json.get(key)) : defaultValue;
    }

    public Double optionalDouble(String key) {
        return has(key) ? toDouble(key, json.get(key)) : null;
    }

    public boolean boolValue(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement value = json.get(key);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return value.getAsBoolean();
        }
        throw wrongType(key, "true or false", value);
    }

    public String string(String key, String defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonElement value = json.get(key);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        throw wrongType(key, "a string", value);
    }

    /** A string that must be one of {@code allowed}; the first allowed value is the default. */
    public String choice(String key, String... allowed) {
        String value = string(key, allowed[0]);
        for (String option : allowed) {
            if (option.equals(value)) {
                return value;
            }
        }
        throw new ConfigException(name + ": " + key + " = \"" + value + "\" is not supported (supported: "
                + String.join(", ", allowed) + ")");
    }

    public int[] intList(String key) {
        JsonArray array = array(key);
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toInt(key + "[" + i + "]", array.get(i));
        }
        return values;
    }

    public double[] doubleList(String key) {
        JsonArray array = array(key);
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toDouble(key + "[" + i + "]", array.get(i));
        }
        return values;
    }

    public List<String> stringList(String key) {
        JsonArray array = array(key);
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw wrongType(key + "[" + i + "]", "a string", item);
            }
            values.add(item.getAsString());
        }
        return values;
    }

    /** Whether {@code key} holds a nested object rather than a plain value. */
    public boolean isSection(String key) {
        return has(key) && json.get(key).isJsonObject();
    }

    /**
     * A nested object (transformers' {@code vision_config}, an image processor's {@code size}) as a
     * config of its own, whose errors name this file and the key.
     */
    public ConfigFile section(String key) {
        JsonElement value = json.get(key);
        if (value == null || value.isJsonNull()) {
            throw new ConfigException(name + ": missing " + key);
        }
        if (!value.isJsonObject()) {
            throw wrongType(key, "an object", value);
        }
        return new ConfigFile(name + " → " + key, value.getAsJsonObject());
    }

    /**
     * A value the reference accepts either as one integer for every level or as a list with one
     * entry per level (e.g. {@code attention_head_dim}, {@code transformer_layers_per_block}).
     */
    public int[] intPerLevel(String key, int levels, int defaultValue) {
        if (!has(key)) {
            return filled(levels, defaultValue);
        }
        JsonElement value = json.get(key);
        if (value.isJsonArray()) {
            int[] list = intList(key);
            if (list.length != levels) {
                throw new ConfigException(name + ": " + key + " has " + list.length + " entries, expected one per level ("
                        + levels + ")");
            }
            return list;
        }
        return filled(levels, toInt(key, value));
    }

    public boolean[] boolPerLevel(String key, int levels, boolean defaultValue) {
        boolean[] values = new boolean[levels];
        if (!has(key)) {
            java.util.Arrays.fill(values, defaultValue);
            return values;
        }
        JsonElement value = json.get(key);
        if (value.isJsonArray()) {
            JsonArray array = value.getAsJsonArray();
            if (array.size() != levels) {
                throw new ConfigException(name + ": " + key + " has " + array.size()
                        + " entries, expected one per level (" + levels + ")");
            }
            for (int i = 0; i < levels; i++) {
                JsonElement item = array.get(i);
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isBoolean()) {
                    throw wrongType(key + "[" + i + "]", "true or false", item);
                }
                values[i] = item.getAsBoolean();
            }
            return values;
        }
        java.util.Arrays.fill(values, boolValue(key, defaultValue));
        return values;
    }

    /**
     * Accepts an option we do not implement only at the reference's default value. {@code
     * defaultValue} is a Java literal: null, a Boolean, a Number or a String.
     */
    public void requireDefault(String key, Object defaultValue) {
        JsonElement value = json.has(key) ? json.get(key) : JsonNull.INSTANCE;
        if (!json.has(key) || matches(value, defaultValue)) {
            return;
        }
        throw new ConfigException(name + ": option " + key + " = " + value + " is not supported (only "
                + (defaultValue instanceof String ? "\"" + defaultValue + "\"" : String.valueOf(defaultValue))
                + ")");
    }

    /**
     * A {@code model_index.json} component entry, {@code ["library", "Class"]}; null when the key
     * holds something else (an option such as {@code max_noise_level}).
     */
    JsonArray componentPair(String key) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonArray() || value.getAsJsonArray().size() != 2) {
            return null;
        }
        JsonArray pair = value.getAsJsonArray();
        for (JsonElement item : pair) {
            if (!item.isJsonNull() && !(item.isJsonPrimitive() && item.getAsJsonPrimitive().isString())) {
                return null;
            }
        }
        return pair;
    }

    public ConfigException invalid(String key, String problem) {
        return new ConfigException(name + ": " + key + " " + problem);
    }

    private static boolean matches(JsonElement value, Object defaultValue) {
        if (value.isJsonNull()) {
            return defaultValue == null;
        }
        if (defaultValue == null || !value.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (defaultValue instanceof Number number && (primitive.isNumber() || pythonNonFinite(primitive) != null)) {
            Double nonFinite = pythonNonFinite(primitive);
            return (nonFinite != null ? nonFinite : primitive.getAsDouble()) == number.doubleValue();
        }
        if (defaultValue instanceof Boolean flag && primitive.isBoolean()) {
            return primitive.getAsBoolean() == flag;
        }
        return primitive.isString() && Objects.equals(primitive.getAsString(), defaultValue);
    }

    private JsonArray array(String key) {
        JsonElement value = json.get(key);
        if (value == null || value.isJsonNull()) {
            throw new ConfigException(name + ": missing " + key);
        }
        if (!value.isJsonArray()) {
            throw wrongType(key, "a list", value);
        }
        return value.getAsJsonArray();
    }

    private int toInt(String key, JsonElement value) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double number = value.getAsDouble();
            if (number == Math.rint(number) && Math.abs(number) <= Integer.MAX_VALUE) {
                return (int) number;
            }
        }
        throw wrongType(key, "an integer", value);
    }

    private double toDouble(String key, JsonElement value) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            return value.getAsDouble();
        }
        if (value.isJsonPrimitive() && pythonNonFinite(value.getAsJsonPrimitive()) != null) {
            return pythonNonFinite(value.getAsJsonPrimitive());
        }
        throw wrongType(key, "a number", value);
    }

    /**
     * Python's json module writes non-finite floats as the bare words Infinity, -Infinity and NaN
     * (e.g. diffusers' {@code lambda_min_clipped}); the lenient parser hands them over as strings.
     */
    private static Double pythonNonFinite(JsonPrimitive primitive) {
        if (!primitive.isString()) {
            return null;
        }
        return switch (primitive.getAsString()) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> null;
        };
    }

    private ConfigException wrongType(String key, String expected, JsonElement value) {
        return new ConfigException(name + ": " + key + " must be " + expected + ", got " + value);
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static String displayName(Path file) {
        Path parent = file.getParent();
        return parent == null || parent.getFileName() == null
                ? file.toString()
                : parent.getFileName() + "/" + file.getFileName();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
