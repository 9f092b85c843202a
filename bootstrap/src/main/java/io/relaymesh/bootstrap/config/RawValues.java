package io.relaymesh.bootstrap.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The value of every key after layering (default ← file ← environment), read as typed values.
 * A bad value becomes a problem line and reads as its default, so one pass reports every problem.
 */
final class RawValues {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

    private final Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, String> setBy = new EnumMap<>(ConfigKey.class);
    private final Set<ConfigKey> invalid = EnumSet.noneOf(ConfigKey.class);
    private final List<String> problems = new ArrayList<>();

    RawValues(Map<ConfigKey, Object> fromFile, Map<ConfigKey, String> fromEnv) {
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        values.putAll(fromFile);
        values.putAll(fromEnv);
        fromEnv.keySet().forEach(key -> setBy.put(key, key.envVariable()));
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Whether none of {@code keys} has had a problem, so checks across keys can trust them. */
    boolean valid(ConfigKey... keys) {
        return Arrays.stream(keys).noneMatch(invalid::contains);
    }

    /** Records a problem with {@code key}: "{path}: {complaint}", naming the variable that set it. */
    void reject(ConfigKey key, String complaint) {
        invalid.add(key);
        String source = setBy.containsKey(key) ? "; set by " + setBy.get(key) : "";
        problems.add(key.path() + ": " + complaint + source);
    }

    /** Records a problem that is not about one key. */
    void reject(String problem) {
        problems.add(problem);
    }

    String text(ConfigKey key) {
        Object value = values.get(key);
        if (value instanceof String s) {
            return s;
        }
        reject(key, show(key, value) + " is not a string (put it in quotes)");
        return (String) key.defaultValue();
    }

    /** A list written as a YAML list or comma-separated text: its entries, trimmed, empty ones left out. */
    List<String> list(ConfigKey key) {
        String text = text(key);
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    boolean bool(ConfigKey key) {
        Object value = values.get(key);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        reject(key, show(key, value) + " is not a boolean (expected true or false)");
        return (Boolean) key.defaultValue();
    }

    /** An integer in {@code min..max}; {@code Integer.MAX_VALUE} as max means "no upper bound". */
    int integer(ConfigKey key, int min, int max) {
        Object value = values.get(key);
        BigInteger number = toInteger(value);
        if (number == null) {
            reject(key, show(key, value) + " is not an integer");
            return (Integer) key.defaultValue();
        }
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            reject(key, outOfRange(number, min, max));
            return (Integer) key.defaultValue();
        }
        return number.intValue();
    }

    /** A non-negative whole number up to {@code Long.MAX_VALUE} (sizes in bytes). */
    long bytes(ConfigKey key) {
        Object value = values.get(key);
        BigInteger number = toInteger(value);
        if (number == null) {
            reject(key, show(key, value) + " is not an integer");
            return ((Number) key.defaultValue()).longValue();
        }
        if (number.signum() < 0 || number.bitLength() > 63) {
            reject(key, number + " is out of range (expected 0 for unlimited, or a size in bytes)");
            return ((Number) key.defaultValue()).longValue();
        }
        return number.longValue();
    }

    Duration seconds(ConfigKey key, int min, int max) {
        return Duration.ofSeconds(integer(key, min, max));
    }

    Duration millis(ConfigKey key, int min, int max) {
        return Duration.ofMillis(integer(key, min, max));
    }

    /** One of the constants of {@code type}, written as its lower-case name in config. */
    <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) {
        Object value = values.get(key);
        E[] options = type.getEnumConstants();
        if (value instanceof String s) {
            for (E option : options) {
                if (option.name().equalsIgnoreCase(s)) {
                    return option;
                }
            }
        }
        String names = Arrays.stream(options).map(o -> o.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        reject(key, show(key, value) + " is not one of " + names);
        return Enum.valueOf(type, ((String) key.defaultValue()).toUpperCase(Locale.ROOT));
    }

    private static BigInteger toInteger(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> BigInteger.valueOf(i);
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            case String s when INTEGER.matcher(s).matches() -> new BigInteger(s);
            default -> null;
        };
    }

    private static String outOfRange(BigInteger number, int min, int max) {
        if (max != Integer.MAX_VALUE) {
            return number + " is out of range (expected " + min + "-" + max + ")";
        }
        if (number.compareTo(BigInteger.valueOf(min)) > 0) {
            return number + " is out of range (expected at most " + max + ")";
        }
        return switch (min) {
            case 1 -> number + " must be positive";
            case 0 -> number + " must not be negative";
            default -> number + " must be at least " + min;
        };
    }

    // A secret's value is never shown, not even when it has the wrong type.
    private static String show(ConfigKey key, Object value) {
        if (key.secret()) {
            return "the value";
        }
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
