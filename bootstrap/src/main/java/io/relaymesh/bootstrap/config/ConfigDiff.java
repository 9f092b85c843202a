package io.relaymesh.bootstrap.config;

import io.relaymesh.domain.error.UrlCredentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload would change: every key whose value differs, in the order of the config file,
 * each marked as applied live or needing a restart, with secrets masked. Immutable.
 *
 * @param changes every changed key
 */
public record ConfigDiff(List<ConfigChange> changes) {
    public ConfigDiff {
        changes = List.copyOf(changes);
    }

    /** Compares the running configuration with a freshly loaded one. */
    public static ConfigDiff between(RelaymeshConfig running, RelaymeshConfig loaded) {
        Map<ConfigKey, Object> before = ConfigValues.of(running);
        Map<ConfigKey, Object> after = ConfigValues.of(loaded);
        List<ConfigChange> changes = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            Object was = before.get(key);
            Object now = after.get(key);
            if (!Objects.equals(was, now)) {
                changes.add(new ConfigChange(key.path(), show(key, was), show(key, now), key.secret(),
                        key.needsRestart()));
            }
        }
        return new ConfigDiff(changes);
    }

    /**
     * The configuration a reload leaves running: the live sections (auth, app, adaptive_ttl, the
     * dialects' limits) of {@code loaded}, the sections that need a restart (server, nats, redis, the
     * dialects' paths and listeners) of {@code running}.
     * Comparing the next reload with it reports a pending restart again rather than forgetting it.
     */
    public static RelaymeshConfig applied(RelaymeshConfig running, RelaymeshConfig loaded) {
        return new RelaymeshConfig(running.server(), running.nats().withRetentionOf(loaded.nats()), running.redis(),
                loaded.auth(), loaded.app().withResumeOf(running.app()),
                loaded.adaptiveTtl(), running.dialects().withRoomsLimitsOf(loaded.dialects()));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Changes a reload applies. */
    public List<ConfigChange> live() {
        return changes.stream().filter(c -> !c.needsRestart()).toList();
    }

    /** Changes a reload reports but leaves for the next restart. */
    public List<ConfigChange> needingRestart() {
        return changes.stream().filter(ConfigChange::needsRestart).toList();
    }

    /** Whether {@code path} (e.g. {@code auth.secret_token}) is among the changes. */
    public boolean changed(String path) {
        return changes.stream().anyMatch(c -> c.key().equals(path));
    }

    private static String show(ConfigKey key, Object value) {
        if (key.secret()) {
            return Secrets.mask((String) value);
        }
        // nats.url may carry user:password@; a reload that changes it logs both values.
        return value instanceof String s ? "\"" + UrlCredentials.strip(s) + "\"" : String.valueOf(value);
    }
}
