package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a reload reports and applies: the per-key diff and its live / needs-restart split. */
class ConfigDiffTest {

    private static RelaymeshConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.putAll(overrides);
        return loaded(load(Optional.empty(), env)).config();
    }

    @Test
    void everyKey_isReadBackFromALoadedConfig_soNoChangeGoesUnreported() {
        assertEquals(EnumSet.allOf(ConfigKey.class), ConfigValues.of(config(Map.of())).keySet());
    }

    @Test
    void sameConfiguration_hasNoChanges() {
        assertTrue(ConfigDiff.between(config(Map.of()), config(Map.of())).isEmpty());
    }

    @Test
    void changedRateLimitAndBuffer_areLiveChanges_writtenAsInTheFile() {
        ConfigDiff diff = ConfigDiff.between(config(Map.of()), config(Map.of(
                "RELAYMESH_APP_CLIENT_MAX_MESSAGES_PER_SECOND", "5",
                "RELAYMESH_APP_WEBSOCKET_MESSAGE_BUFFER_SIZE", "7",
                "RELAYMESH_APP_WEBSOCKET_BACKPRESSURE_DROP_POLICY", "block")));

        assertEquals(List.of(
                new ConfigChange("app.websocket_message_buffer_size", "100", "7", false, false),
                new ConfigChange("app.websocket_backpressure_drop_policy", "\"drop_oldest\"", "\"block\"", false, false),
                new ConfigChange("app.client_max_messages_per_second", "20", "5", false, false)), diff.changes());
        assertEquals(diff.changes(), diff.live());
        assertTrue(diff.needingRestart().isEmpty());
        assertEquals("app.client_max_messages_per_second: 20 → 5", diff.changes().get(2).describe());
    }

    @Test
    void changedPortsPodIdAndAddresses_needARestart() {
        ConfigDiff diff = ConfigDiff.between(config(Map.of()), config(Map.of(
                "RELAYMESH_SERVER_HTTP_PORT", "9090",
                "RELAYMESH_SERVER_POD_ID", "pod-b",
                "RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS", "10.1.1.1:50051",
                "RELAYMESH_APP_SESSION_TTL_SECONDS", "40")));

        assertEquals(List.of("server.http_port", "server.pod_id", "server.grpc_advertise_address"),
                diff.needingRestart().stream().map(ConfigChange::key).toList());
        assertEquals(List.of("app.session_ttl_seconds"), diff.live().stream().map(ConfigChange::key).toList());
    }

    @Test
    void connectionKeysOfRedisAndNats_needARestart() {
        Map<String, String> cluster = Map.of("RELAYMESH_REDIS_ADDRESS", "redis:6379",
                "RELAYMESH_NATS_URL", "nats://nats:4222");
        Map<String, String> moved = Map.of("RELAYMESH_REDIS_ADDRESS", "redis2:6379",
                "RELAYMESH_NATS_URL", "nats://nats2:4222", "RELAYMESH_REDIS_PASSWORD", "s3cret-redis-password");

        ConfigDiff diff = ConfigDiff.between(config(cluster), config(moved));

        assertEquals(Set.of("redis.address", "redis.password", "nats.url"),
                diff.changes().stream().map(ConfigChange::key).collect(Collectors.toSet()));
        assertTrue(diff.changes().stream().allMatch(ConfigChange::needsRestart));
    }

    @Test
    void changedSecrets_areMaskedInTheChange() {
        String newKey = "brandNewGeneralApiKey0123456789";
        String newAes = "abcdef0123456789".repeat(4);
        ConfigDiff diff = ConfigDiff.between(config(Map.of()), config(Map.of(
                "RELAYMESH_AUTH_SECRET_TOKEN", newKey, "RELAYMESH_AUTH_TOKEN_AES_KEY", newAes)));

        assertEquals(2, diff.live().size());
        for (ConfigChange change : diff.changes()) {
            assertTrue(change.secret());
            assertFalse(change.describe().contains(newKey) || change.describe().contains(newAes)
                    || change.describe().contains(TestConfigs.API_KEY)
                    || change.describe().contains(TestConfigs.AES_KEY), change.describe());
        }
        assertEquals("auth.secret_token: " + Secrets.mask(TestConfigs.API_KEY) + " → " + Secrets.mask(newKey),
                diff.changes().get(0).describe());
    }

    @Test
    void theServerNatsRedisAndDialectsSections_needARestart_butStreamRetentionIsLive_andResumeSizesAreNot() {
        Set<ConfigKey> exceptions = Set.of(ConfigKey.NATS_STREAM_MAX_AGE_SECONDS, ConfigKey.NATS_STREAM_MAX_BYTES,
                ConfigKey.APP_RESUME_HISTORY_EVENTS, ConfigKey.APP_RESUME_MAX_EVENTS,
                ConfigKey.DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC, ConfigKey.DIALECTS_ROOMS_MAX_BYTES_PER_SECOND,
                ConfigKey.DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND, ConfigKey.DIALECTS_ROOMS_AUTH_REQUIRED,
                ConfigKey.DIALECTS_ROOMS_STATS_INTERVAL_SECONDS);
        Set<String> restart = Arrays.stream(ConfigKey.values()).filter(k -> !exceptions.contains(k))
                .filter(ConfigKey::needsRestart)
                .map(k -> k.path().substring(0, k.path().indexOf('.'))).collect(Collectors.toSet());
        Set<String> live = Arrays.stream(ConfigKey.values()).filter(k -> !exceptions.contains(k))
                .filter(k -> !k.needsRestart())
                .map(k -> k.path().substring(0, k.path().indexOf('.'))).collect(Collectors.toSet());

        // A dialect's store, listener and paths are set up once, like the server's; the rooms' limits are live.
        assertEquals(Set.of("server", "nats", "redis", "dialects"), restart);
        assertEquals(Set.of("auth", "app", "adaptive_ttl"), live);
        assertFalse(ConfigKey.NATS_STREAM_MAX_AGE_SECONDS.needsRestart());
        assertFalse(ConfigKey.NATS_STREAM_MAX_BYTES.needsRestart());
        assertTrue(ConfigKey.APP_RESUME_HISTORY_EVENTS.needsRestart());
        assertTrue(ConfigKey.APP_RESUME_MAX_EVENTS.needsRestart());
        assertTrue(ConfigKey.DIALECTS_ROOMS_LISTENER_PORT.needsRestart());
        assertTrue(ConfigKey.DIALECTS_ROOMS_PATH.needsRestart());
        assertTrue(ConfigKey.DIALECTS_ROOMS_MAX_DATA_BYTES.needsRestart(), "the WebSocket frame cap is set at start");
        assertFalse(ConfigKey.DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND.needsRestart());
        assertFalse(ConfigKey.DIALECTS_ROOMS_AUTH_REQUIRED.needsRestart());
        assertFalse(ConfigKey.AUTH_TOKEN_AES_KEY.needsRestart());
        assertFalse(ConfigKey.APP_LOG_LEVEL.needsRestart());
        assertFalse(ConfigKey.APP_LOG_FORMAT.needsRestart());
        assertTrue(ConfigKey.SERVER_POD_ID.needsRestart());
    }

    @Test
    void appliedConfiguration_keepsTheRunningRestartSections_andTakesTheLiveOnes() {
        RelaymeshConfig running = config(Map.of());
        RelaymeshConfig loaded = config(Map.of("RELAYMESH_SERVER_HTTP_PORT", "9090",
                "RELAYMESH_APP_CLIENT_MESSAGE_BURST", "3", "RELAYMESH_ADAPTIVE_TTL_SESSION_LOCK_ENABLED", "true",
                "RELAYMESH_AUTH_KEY_ROTATION_OVERLAP_SECONDS", "2"));

        RelaymeshConfig applied = ConfigDiff.applied(running, loaded);

        assertEquals(running.server(), applied.server());
        assertEquals(loaded.app(), applied.app());
        assertEquals(loaded.auth(), applied.auth());
        assertEquals(loaded.adaptiveTtl(), applied.adaptiveTtl());
        // The next reload of the same file still reports the port as waiting for a restart.
        assertEquals(List.of("server.http_port"),
                ConfigDiff.between(applied, loaded).changes().stream().map(ConfigChange::key).toList());
    }

    @Test
    void newKeys_haveTheirDefaults_andAreValidated() {
        RelaymeshConfig defaults = config(Map.of());
        assertEquals(java.time.Duration.ofHours(1), defaults.auth().keyRotationOverlap());
        assertEquals(LogFormat.AUTO, defaults.app().logFormat());
        assertEquals(java.time.Duration.ZERO,
                config(Map.of("RELAYMESH_AUTH_KEY_ROTATION_OVERLAP_SECONDS", "0")).auth().keyRotationOverlap());
        assertEquals(LogFormat.JSON, config(Map.of("RELAYMESH_APP_LOG_FORMAT", "json")).app().logFormat());

        Map<String, String> bad = new HashMap<>(AUTH_ENV);
        bad.put("RELAYMESH_AUTH_KEY_ROTATION_OVERLAP_SECONDS", "-1");
        bad.put("RELAYMESH_APP_LOG_FORMAT", "xml");
        List<String> problems = TestConfigs.rejected(load(Optional.empty(), bad)).problems();
        assertTrue(problems.contains("auth.key_rotation_overlap_seconds: -1 must not be negative;"
                + " set by RELAYMESH_AUTH_KEY_ROTATION_OVERLAP_SECONDS"), problems::toString);
        assertTrue(problems.contains("app.log_format: \"xml\" is not one of auto, text, json;"
                + " set by RELAYMESH_APP_LOG_FORMAT"), problems::toString);
    }
}
