package io.fijigen.engine.server;

import io.fijigen.engine.config.ConfigException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of a YAML config, read field by field with typed getters whose errors say where the
 * mapping is ({@code file: models[2] (id 'x')}), which key, and what was wrong with its value.
 */
final class YamlSection {
    private final String where;
    private final Map<?, ?> values;

    private YamlSection(String where, Map<?, ?> values) {
        this.where = where;
        this.values = values;
    }

    static YamlSection of(Object node, String where) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new ConfigException(where + ": expected a mapping of keys to values, got " + describe(node));
        }
        return new YamlSection(where, map);
    }

    /** Refuses keys outside {@code allowed}: a misspelt optional key would otherwise be ignored without a word. */
    void allowOnly(Set<String> allowed) {
        for (Object key : values.keySet()) {
            if (!(key instanceof String name) || !allowed.contains(name)) {
                throw new ConfigException(where + ": unknown key '" + key + "' (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            // YAML reads 2024-01-01, 1.5 or 0123 as non-strings; quoting keeps them text.
            throw error(key, "must be a string, got " + describe(value) + " (quote it)");
        }
        return Optional.of(text);
    }

    String requiredString(String key) {
        return string(key).orElseThrow(() -> error(key, "is missing"));
    }

    OptionalInt integer(String key, int min, int max) {
        Object value = values.get(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof Integer number)) {
            throw error(key, "must be a whole number in " + min + ".." + max + ", got " + describe(value));
        }
        if (number < min || number > max) {
            throw error(key, number + " is outside " + min + ".." + max);
        }
        return OptionalInt.of(number);
    }

    OptionalDouble number(String key, double min, double max) {
        Object value = values.get(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw error(key, "must be a number, got " + describe(value));
        }
        double x = number.doubleValue();
        if (x < min || x > max) {
            throw error(key, x + " is outside " + min + ".." + max);
        }
        return OptionalDouble.of(x);
    }

    Optional<List<?>> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof List<?> items)) {
            throw error(key, "must be a list, got " + describe(value));
        }
        return Optional.of(items);
    }

    ConfigException error(String key, String message) {
        return new ConfigException(where + ": field '" + key + "': " + message);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String type;
        if (value instanceof String) {
            type = "text";
        } else if (value instanceof Number) {
            type = "number";
        } else if (value instanceof Boolean) {
            type = "boolean";
        } else if (value instanceof Map) {
            type = "mapping";
        } else if (value instanceof List) {
            type = "list";
        } else {
            type = value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        }
        return type + " '" + value + "'";
    }
}
