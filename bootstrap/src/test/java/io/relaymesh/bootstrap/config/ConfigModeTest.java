package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.ADMIN_AES_KEY;
import static io.relaymesh.bootstrap.config.TestConfigs.ADMIN_API_KEY;
import static io.relaymesh.bootstrap.config.TestConfigs.AES_KEY;
import static io.relaymesh.bootstrap.config.TestConfigs.API_KEY;
import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigModeTest {
    private static final Map<String, String> CLUSTER_ENV = Map.of(
            "RELAYMESH_REDIS_ADDRESS", "redis:6379",
            "RELAYMESH_NATS_URL", "nats://nats:4222");

    @Test
    void standaloneWithoutKeys_generatesAllFour_inTheExpectedFormats() {
        LoadResult.Loaded loaded = loaded(load(Optional.empty(), Map.of()));
        AuthConfig auth = loaded.config().auth();

        assertEquals(Set.of("auth.secret_token", "auth.token_aes_key", "auth.admin_secret_token",
                "auth.admin_token_aes_key"), loaded.generatedSecrets().keys());
        assertTrue(auth.secretToken().matches("[A-Za-z0-9]{32}"), "secret_token format");
        assertTrue(auth.adminSecretToken().matches("[A-Za-z0-9]{32}"), "admin_secret_token format");
        assertTrue(auth.tokenAesKey().matches("[0-9a-f]{64}"), "token_aes_key format");
        assertTrue(auth.adminTokenAesKey().matches("[0-9a-f]{64}"), "admin_token_aes_key format");
        assertNotEquals(auth.secretToken(), auth.adminSecretToken());
        assertNotEquals(auth.tokenAesKey(), auth.adminTokenAesKey());
        assertEquals(auth.secretToken(), loaded.generatedSecrets().values().get("auth.secret_token"));
    }

    @Test
    void standaloneKeys_differOnEveryLoad() {
        AuthConfig first = loaded(load(Optional.empty(), Map.of())).config().auth();
        AuthConfig second = loaded(load(Optional.empty(), Map.of())).config().auth();

        assertNotEquals(first.secretToken(), second.secretToken());
        assertNotEquals(first.tokenAesKey(), second.tokenAesKey());
    }

    @Test
    void standaloneWithSomeKeys_keepsThemAndGeneratesOnlyTheOthers() {
        LoadResult.Loaded loaded = loaded(load(Optional.empty(), Map.of(
                "RELAYMESH_AUTH_SECRET_TOKEN", API_KEY,
                "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", ADMIN_AES_KEY)));

        assertEquals(API_KEY, loaded.config().auth().secretToken());
        assertEquals(ADMIN_AES_KEY, loaded.config().auth().adminTokenAesKey());
        assertEquals(Set.of("auth.token_aes_key", "auth.admin_secret_token"), loaded.generatedSecrets().keys());
        assertTrue(loaded.notes().contains("standalone mode: generated auth.token_aes_key, auth.admin_secret_token"
                + " for this run (set them to keep tokens valid across restarts)"), loaded.notes()::toString);
    }

    @Test
    void standaloneWithAllKeys_generatesNothing() {
        LoadResult.Loaded loaded = loaded(load(Optional.empty(), AUTH_ENV));

        assertTrue(loaded.generatedSecrets().isEmpty());
        assertEquals(new AuthConfig(API_KEY, AES_KEY, ADMIN_API_KEY, ADMIN_AES_KEY,
                loaded.config().auth().tokenCacheTtl(), loaded.config().auth().defaultTokenTtl(),
                loaded.config().auth().maxTokenTtl(), loaded.config().auth().keyRotationOverlap(), "", "", false),
                loaded.config().auth());
    }

    @Test
    void generatedKeysPassedBackAsEnvironment_surviveAReload() {
        LoadResult.Loaded first = loaded(load(Optional.empty(), Map.of()));

        LoadResult.Loaded reloaded = loaded(load(Optional.empty(), first.generatedSecrets().asEnvironment()));

        assertEquals(first.config().auth(), reloaded.config().auth());
        assertTrue(reloaded.generatedSecrets().isEmpty());
    }

    @Test
    void clusterWithAllKeys_loads_andGeneratesNothing() {
        Map<String, String> env = new HashMap<>(CLUSTER_ENV);
        env.putAll(AUTH_ENV);

        LoadResult.Loaded loaded = loaded(load(Optional.empty(), env));

        assertFalse(loaded.config().standalone());
        assertTrue(loaded.generatedSecrets().isEmpty());
        assertEquals(API_KEY, loaded.config().auth().secretToken());
    }

    @Test
    void clusterWithoutKeys_isRejected_namingEachMissingKey() {
        List<String> problems = rejected(load(Optional.empty(), CLUSTER_ENV)).problems();

        assertEquals(List.of(
                "auth.secret_token: must be set in cluster mode, to the same value on every pod"
                        + " (e.g. with RELAYMESH_AUTH_SECRET_TOKEN)",
                "auth.token_aes_key: must be set in cluster mode, to the same value on every pod"
                        + " (e.g. with RELAYMESH_AUTH_TOKEN_AES_KEY)",
                "auth.admin_secret_token: must be set in cluster mode, to the same value on every pod"
                        + " (e.g. with RELAYMESH_AUTH_ADMIN_SECRET_TOKEN)",
                "auth.admin_token_aes_key: must be set in cluster mode, to the same value on every pod"
                        + " (e.g. with RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY)",
                PodAuthConfigTest.SECRET_REQUIRED), problems);
    }

    @Test
    void clusterWithOnlyRedis_isRejected_namingBothKeys() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "redis:6379");

        List<String> problems = rejected(load(Optional.empty(), env)).problems();

        assertEquals(List.of("redis.address and nats.url: cluster mode needs both, but nats.url is empty"
                + " (set both for cluster mode, or neither for standalone mode)"), problems);
    }

    @Test
    void clusterWithOnlyNats_isRejected_namingBothKeys() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_NATS_URL", "nats://nats:4222");

        List<String> problems = rejected(load(Optional.empty(), env)).problems();

        assertEquals(List.of("redis.address and nats.url: cluster mode needs both, but redis.address is empty"
                + " (set both for cluster mode, or neither for standalone mode)"), problems);
    }

    @Test
    void malformedRedisAddressAndNatsUrl_areRejected() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "redis");
        env.put("RELAYMESH_NATS_URL", "http://user:hunter2@nats:4222");

        List<String> problems = rejected(load(Optional.empty(), env)).problems();

        assertEquals(List.of(
                "nats.url: \"http://***@nats:4222\" is not a NATS URL (expected nats://host:port, or several"
                        + " separated by commas); set by RELAYMESH_NATS_URL",
                "redis.address: \"redis\" is not host:port (e.g. redis:6379); set by RELAYMESH_REDIS_ADDRESS"),
                problems);
    }

    @Test
    void severalNatsServers_areAccepted() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "10.0.0.1:6379");
        env.put("RELAYMESH_NATS_URL", "nats://n1:4222, tls://n2:4222,n3:4222");

        assertEquals("nats://n1:4222, tls://n2:4222,n3:4222", loaded(load(Optional.empty(), env)).config().nats().url());
    }
}
