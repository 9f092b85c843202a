package io.relaymesh.bootstrap.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the {@code RELAYMESH_*} variables out of the environment and maps each to its key; any
 * other {@code RELAYMESH_*} name is a problem, because a typo would otherwise be silently ignored.
 */
final class EnvironmentOverrides {
    private EnvironmentOverrides() {
    }

    static Map<ConfigKey, String> read(Map<String, String> env, List<String> problems) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        // Sorted, so the problems come out in the same order on every run.
        new TreeMap<>(env).forEach((name, value) -> {
            if (!name.startsWith(ConfigKey.ENV_PREFIX) || name.equals(ConfigLoader.CONFIG_FILE_VARIABLE)) {
                return;
            }
            ConfigKey.byEnvVariable(name).ifPresentOrElse(
                    key -> values.put(key, value),
                    () -> problems.add("unknown environment variable " + name + " (no such key)"));
        });
        return values;
    }
}
