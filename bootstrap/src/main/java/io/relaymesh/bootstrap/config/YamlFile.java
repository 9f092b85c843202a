package io.relaymesh.bootstrap.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the YAML config file into raw values by key, reporting syntax errors and unknown keys.
 * Values keep their YAML types (Integer, Boolean, String…); {@link RawValues} checks them.
 */
final class YamlFile {
    // A config file is small; these limits stop a hostile or broken file from exhausting memory.
    private static final int MAX_CODE_POINTS = 1024 * 1024;
    private static final int MAX_ALIASES = 10;
    private static final int MAX_NESTING = 10;

    private YamlFile() {
    }

    /** The values the file sets; problems go to {@code problems} and leave the map empty. */
    static Map<ConfigKey, Object> read(Path file, List<String> problems) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Object document;
        try {
            document = yaml().load(Files.readString(file));
        } catch (MarkedYAMLException e) {
            problems.add(syntaxError(name, e));
            return Map.of();
        } catch (YAMLException e) {
            problems.add(name + ": invalid YAML: " + e.getMessage());
            return Map.of();
        } catch (IOException e) {
            problems.add("config file " + file + " cannot be read: " + describe(e));
            return Map.of();
        }
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        if (document instanceof Map<?, ?> root) {
            collect("", root, name, values, problems);
        } else if (document != null) {
            problems.add(name + ": expected sections (server, nats, redis, auth, app, adaptive_ttl, dialects) at the top level, got "
                    + kind(document));
        }
        return values;
    }

    private static void collect(String section, Map<?, ?> map, String source, Map<ConfigKey, Object> values,
            List<String> problems) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String path = section.isEmpty() ? String.valueOf(entry.getKey()) : section + "." + entry.getKey();
            Object value = entry.getValue();
            var key = ConfigKey.byPath(path);
            if (key.isPresent()) {
                if (key.get().list() && value instanceof Collection<?> items) {
                    listValue(path, items, problems).ifPresent(text -> values.put(key.get(), text));
                } else if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
                    problems.add(path + ": expected a single value, got " + kind(value));
                } else if (value != null) { // "key:" with nothing after it keeps the default
                    values.put(key.get(), value);
                }
            } else if (ConfigKey.isSection(path)) {
                if (value instanceof Map<?, ?> nested) {
                    collect(path, nested, source, values, problems);
                } else if (value != null) {
                    problems.add(path + ": expected a section of keys, got " + kind(value));
                }
            } else {
                problems.add("unknown key " + path + " in " + source);
            }
        }
    }

    /** A list of plain strings as comma-joined text, the form the environment gives it in. */
    private static java.util.Optional<String> listValue(String path, Collection<?> items, List<String> problems) {
        List<String> texts = new java.util.ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String text) || text.contains(",")) {
                problems.add(path + ": expected a list of strings without commas, got " + (item == null ? "an empty entry" : kind(item)) + " in it");
                return java.util.Optional.empty();
            }
            texts.add(text);
        }
        return java.util.Optional.of(String.join(",", texts));
    }

    // Only the problem and its position: the snippet SnakeYAML adds could show a secret's line.
    private static String syntaxError(String name, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        String what = e.getProblem() != null ? e.getProblem() : e.getContext();
        return name + ": invalid YAML" + where + ": " + what;
    }

    // Type words, not values: the value might be a secret.
    private static String kind(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "a section";
            case Collection<?> c -> "a list";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            default -> e.toString();
        };
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new StrictResolver());
    }

    /**
     * YAML 1.2 core scalars only: {@code yes}/{@code on} stay strings (so "booleans are true/false"
     * holds), {@code 0123} is not octal, and dates are not parsed.
     */
    private static final class StrictResolver extends Resolver {
        private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
        private static final Pattern FLOAT =
                Pattern.compile("^[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "tTfF", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.NULL, Resolver.NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, Resolver.EMPTY, null, 10);
        }
    }
}
