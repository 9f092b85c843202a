package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A node of a parsed YAML document that knows where it is ({@code deploy/docker-compose.yml:
 * services.relaymesh.environment}), so that a missing key or a wrong type fails the test with a
 * message naming the file and the place rather than with a ClassCastException.
 */
record Yml(Object value, String where) {

    /** Every document of {@code file}; fails the test if the file is missing or not valid YAML. */
    static List<Yml> loadAll(Path file) {
        String name = DeployFiles.describe(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " cannot be read", e);
        }
        List<Yml> docs = new ArrayList<>();
        try {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                if (doc != null) {
                    docs.add(new Yml(doc, name + ":"));
                }
            }
        } catch (YAMLException e) {
            fail(name + " is not valid YAML: " + e.getMessage());
        }
        if (docs.isEmpty()) {
            fail(name + " holds no YAML document");
        }
        return docs;
    }

    /** The single document of {@code file}. */
    static Yml load(Path file) {
        List<Yml> docs = loadAll(file);
        if (docs.size() != 1) {
            fail(DeployFiles.describe(file) + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    Yml get(String key) {
        return opt(key).orElseGet(() -> fail(where + " has no key '" + key + "' (keys: " + map().keySet() + ")"));
    }

    Optional<Yml> opt(String key) {
        Map<String, Object> map = map();
        return map.containsKey(key) && map.get(key) != null
                ? Optional.of(new Yml(map.get(key), child(key)))
                : Optional.empty();
    }

    boolean has(String key) {
        return opt(key).isPresent();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        if (!(value instanceof Map<?, ?>)) {
            fail(where + " should be a mapping, but is " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    /** The children of a sequence, each knowing its index. */
    List<Yml> list() {
        if (!(value instanceof List<?> items)) {
            return fail(where + " should be a sequence, but is " + describe(value));
        }
        List<Yml> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new Yml(items.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    /** The value as text: YAML scalars such as 8080 or true come back as "8080" and "true". */
    String text() {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            fail(where + " should be a scalar, but is " + describe(value));
        }
        return String.valueOf(value);
    }

    int integer() {
        if (value instanceof Integer i) {
            return i;
        }
        return fail(where + " should be an integer, but is " + describe(value));
    }

    /** The keys of a mapping as text (YAML may read a key such as 8080 as a number). */
    List<String> keys() {
        return map().keySet().stream().map(String::valueOf).toList();
    }

    private String child(String key) {
        return where.endsWith(":") ? where + " " + key : where + "." + key;
    }

    private static String describe(Object value) {
        return value == null ? "empty" : value.getClass().getSimpleName() + " " + value;
    }
}
