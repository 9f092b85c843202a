package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of TLS and credentials towards Redis and NATS: what validation refuses, and what it warns about. */
class BackendTlsSettingsTest {
    private static final String REDIS_PASSWORD = "redis-PASSWORD-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void opentlsUrl_isRefused_namingTheSettingThatWouldAllowIt() {
        List<String> problems = rejected(load(Optional.empty(), cluster("opentls://nats:4222", Map.of()))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("nats.url: "), problems.get(0));
        assertTrue(problems.get(0).contains("nats.allow_insecure_tls: true"), problems.get(0));
        assertTrue(problems.get(0).contains("nats.tls_ca_file"), problems.get(0));
    }

    @Test
    void opentlsAmongSeveralUrls_isRefused_too() {
        assertEquals(1, rejected(load(Optional.empty(),
                cluster("tls://nats-1:4222, opentls://nats-2:4222", Map.of()))).problems().size());
    }

    @Test
    void opentlsUrl_isAccepted_withAllowInsecureTls_andWarnsAtEveryStart() {
        RelaymeshConfig config = loaded(load(Optional.empty(), cluster("opentls://nats:4222",
                Map.of("RELAYMESH_NATS_ALLOW_INSECURE_TLS", "true")))).config();

        assertTrue(config.nats().allowInsecureTls());
        assertTrue(SecurityWarnings.of(config).stream().anyMatch(w -> w.startsWith("nats.allow_insecure_tls is true")),
                SecurityWarnings.of(config).toString());
    }

    @Test
    void theDefaults_allowNoInsecureTls_andWarnAboutNone() {
        RelaymeshConfig config = loaded(load(Optional.empty(), cluster("tls://nats:4222", Map.of()))).config();

        assertFalse(config.nats().allowInsecureTls());
        assertFalse(config.redis().tls());
        assertTrue(SecurityWarnings.of(config).isEmpty(), SecurityWarnings.of(config).toString());
    }

    @Test
    void redisTlsFiles_andAclUser_areBound() throws IOException {
        Path ca = file("ca.pem");
        Path cert = file("client.pem");
        Path key = file("client.key");
        RelaymeshConfig config = loaded(load(Optional.empty(), cluster("nats://nats:4222", Map.of(
                "RELAYMESH_REDIS_TLS", "true",
                "RELAYMESH_REDIS_USERNAME", "relaymesh",
                "RELAYMESH_REDIS_PASSWORD", REDIS_PASSWORD,
                "RELAYMESH_REDIS_TLS_CA_FILE", ca.toString(),
                "RELAYMESH_REDIS_TLS_CERT_FILE", cert.toString(),
                "RELAYMESH_REDIS_TLS_KEY_FILE", key.toString())))).config();

        assertEquals(new ClientTlsConfig(ca.toString(), cert.toString(), key.toString()), config.redis().tlsFiles());
        assertEquals("relaymesh", config.redis().username());
        assertFalse(config.redis().toString().contains(REDIS_PASSWORD), config.redis().toString());
        assertTrue(config.redis().toString().contains(ca.toString()), "paths may be logged: " + config.redis());
    }

    @Test
    void redisCaFile_withoutRedisTls_isRefused_ratherThanSilentlyConnectingInClear() throws IOException {
        List<String> problems = rejected(load(Optional.empty(), cluster("nats://nats:4222",
                Map.of("RELAYMESH_REDIS_TLS_CA_FILE", file("ca.pem").toString())))).problems();

        assertEquals(List.of("redis.tls_ca_file: is set but redis.tls is false (set redis.tls: true to connect over"
                + " TLS, or remove the file setting); set by RELAYMESH_REDIS_TLS_CA_FILE"), problems);
    }

    @Test
    void aClientCertificate_withoutItsKey_isRefused() throws IOException {
        List<String> problems = rejected(load(Optional.empty(), cluster("tls://nats:4222",
                Map.of("RELAYMESH_NATS_TLS_CERT_FILE", file("client.pem").toString())))).problems();

        assertEquals(List.of("nats.tls_key_file: must be set together with nats.tls_cert_file (a client certificate"
                + " needs its key)"), problems);
    }

    @Test
    void aMissingCaFile_isRefused_namingThePath() {
        Path missing = dir.resolve("nope.pem");
        List<String> problems = rejected(load(Optional.empty(), cluster("tls://nats:4222",
                Map.of("RELAYMESH_NATS_TLS_CA_FILE", missing.toString())))).problems();

        assertEquals(List.of("nats.tls_ca_file: \"" + missing + "\" is missing or not readable; set by RELAYMESH_NATS_TLS_CA_FILE"),
                problems);
    }

    @Test
    void aCredsFileAndAnNkeyFile_together_areRefused() throws IOException {
        List<String> problems = rejected(load(Optional.empty(), cluster("tls://nats:4222", Map.of(
                "RELAYMESH_NATS_CREDS_FILE", file("user.creds").toString(),
                "RELAYMESH_NATS_NKEY_FILE", file("user.nk").toString())))).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("nats.nkey_file: must not be set together with nats.creds_file"),
                problems.get(0));
    }

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "not read by validation\n");
    }

    private static Map<String, String> cluster(String natsUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "redis:6379");
        env.put("RELAYMESH_NATS_URL", natsUrl);
        env.putAll(extra);
        return env;
    }
}
