package io.relaymesh.bench.support;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options as {@code --name=value} (or {@code --name value}). Every option a benchmark
 * reads must be declared with its default, so a typo fails at once instead of silently running
 * with the default. Not thread-safe; read once at start-up.
 */
public final class Args {
    private final Map<String, String> given = new HashMap<>();
    private final Set<String> read = new HashSet<>();
    private final StringBuilder usage = new StringBuilder();

    private Args() {
    }

    public static Args parse(String[] args) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() < 3) {
                throw new IllegalArgumentException("options look like --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                parsed.given.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                parsed.given.put(arg.substring(2), args[++i]);
            } else {
                parsed.given.put(arg.substring(2), "true");
            }
        }
        return parsed;
    }

    public int intValue(String name, int defaultValue, int min, int max, String help) {
        describe(name, Integer.toString(defaultValue), help);
        String value = given.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ", got: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got: " + value, e);
        }
    }

    public String string(String name, String defaultValue, String help) {
        describe(name, defaultValue.isEmpty() ? "\"\"" : defaultValue, help);
        return given.getOrDefault(name, defaultValue);
    }

    /** A comma-separated list of whole numbers, each within min..max. */
    public java.util.List<Integer> intList(String name, String defaultValue, int min, int max, String help) {
        String value = string(name, defaultValue, help);
        java.util.List<Integer> list = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                int parsed = Integer.parseInt(part.trim().replace("_", ""));
                if (parsed < min || parsed > max) {
                    throw new IllegalArgumentException("--" + name + " values must be " + min + ".." + max + ", got: "
                            + part);
                }
                list.add(parsed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be whole numbers separated by commas, got: "
                        + value, e);
            }
        }
        return list;
    }

    public boolean flag(String name, boolean defaultValue, String help) {
        describe(name, Boolean.toString(defaultValue), help);
        String value = given.get(name);
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }

    /** Fails on options nobody read; prints the usage for {@code --help}. Call after reading every option. */
    public void finish(String program) {
        if (given.containsKey("help")) {
            System.out.println("usage: " + program + " [--name=value ...]\n" + usage);
            System.exit(0);
        }
        Set<String> unknown = new HashSet<>(given.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known:\n" + usage);
        }
    }

    private void describe(String name, String defaultValue, String help) {
        read.add(name);
        usage.append(String.format("  --%-16s %s (default %s)%n", name, help, defaultValue));
    }
}
