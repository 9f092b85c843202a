package io.relaymesh.bootstrap.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loads the configuration once: built-in defaults, overlaid by the YAML file, overlaid by {@code
 * RELAYMESH_<SECTION>_<KEY>} environment variables; then validates everything in one pass, so a
 * rejection lists every problem rather than the first. Stateless and thread-safe; a reload simply
 * loads again.
 */
public final class ConfigLoader {
    /** Environment variable naming the config file; read by Main, ignored as a key here. */
    public static final String CONFIG_FILE_VARIABLE = "RELAYMESH_CONFIG";

    private final Supplier<PodIdentity.Host> host;

    ConfigLoader(Supplier<PodIdentity.Host> host) {
        this.host = host;
    }

    /**
     * Loads and validates the configuration.
     *
     * @param file the YAML file, or empty to use defaults and environment only
     * @param env the process environment (only {@code RELAYMESH_*} entries are read)
     * @return {@link LoadResult.Loaded}, or {@link LoadResult.Rejected} with every problem found
     */
    public static LoadResult load(Optional<Path> file, Map<String, String> env) {
        return new ConfigLoader(PodIdentity.Host::local).read(file, env);
    }

    LoadResult read(Optional<Path> file, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<ConfigKey, Object> fromFile = file.map(f -> YamlFile.read(f, problems)).orElse(Map.of());
        file.ifPresent(f -> notes.add("config file: " + f.toAbsolutePath().normalize()));
        Map<ConfigKey, String> fromEnv = EnvironmentOverrides.read(env, problems);
        if (!fromEnv.isEmpty()) {
            notes.add("environment overrides: " + String.join(", ",
                    fromEnv.keySet().stream().map(ConfigKey::envVariable).toList()));
        }

        RawValues raw = new RawValues(fromFile, fromEnv);
        RelaymeshConfig config = new ConfigBinder(raw, new PodIdentity(host), notes).bind();
        CrossChecks.check(config, raw);
        ClusterRequirements.check(config, raw);
        problems.addAll(raw.problems());
        if (!problems.isEmpty()) {
            return new LoadResult.Rejected(problems);
        }
        notes.add(config.standalone()
                ? "mode: standalone (no redis.address, no nats.url): in-memory adapters, one pod"
                : "mode: cluster (Redis at " + config.redis().address() + ", NATS JetStream)");
        return StandaloneKeys.complete(config, notes);
    }
}
