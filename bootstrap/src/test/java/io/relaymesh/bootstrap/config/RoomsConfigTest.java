package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dialects.rooms.*}: defaults, checks, the shipped files' choices and what a reload applies. */
class RoomsConfigTest {
    private static final Path CONFIG_DIR = Path.of("..", "config");

    @TempDir
    Path dir;

    private static RoomsConfig rooms(Map<String, String> env) {
        return loaded(load(Optional.empty(), env)).config().dialects().rooms();
    }

    private static List<String> problems(Map<String, String> env) {
        return rejected(load(Optional.empty(), env)).problems();
    }

    private Map<String, String> withTlsFiles(Map<String, String> env, String certKey, String keyKey) throws Exception {
        Map<String, String> out = new HashMap<>(env);
        out.put(certKey, Files.writeString(dir.resolve("cert.pem"), "not read by the loader").toString());
        out.put(keyKey, Files.writeString(dir.resolve("key.pem"), "not read by the loader").toString());
        return out;
    }

    @Test
    void defaults_areTheSafeOnes_onItsOwnPath_withoutAListener_andWithAuthRequired() {
        RoomsConfig rooms = rooms(Map.of());

        assertEquals(RoomsConfig.DEFAULTS, rooms);
        assertTrue(rooms.enabled());
        assertEquals("/rooms/ws", rooms.path());
        assertEquals(0, rooms.listenerPort());
        assertEquals(65536, rooms.maxDataBytes());
        assertEquals(100, rooms.maxPeersPerTopic());
        assertEquals(1048576, rooms.maxBytesPerSecond());
        assertEquals(100, rooms.maxFramesPerSecond());
        assertTrue(rooms.authRequired());
        assertEquals(Duration.ofMinutes(5), rooms.statsInterval());
    }

    @Test
    void everyKey_isSetByItsEnvironmentVariable() {
        RoomsConfig rooms = rooms(Map.of("RELAYMESH_DIALECTS_ROOMS_ENABLED", "false",
                "RELAYMESH_DIALECTS_ROOMS_PATH", "/relay/ws", "RELAYMESH_DIALECTS_ROOMS_MAX_DATA_BYTES", "1024",
                "RELAYMESH_DIALECTS_ROOMS_MAX_PEERS_PER_TOPIC", "0", "RELAYMESH_DIALECTS_ROOMS_MAX_BYTES_PER_SECOND", "0",
                "RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "5000", "RELAYMESH_DIALECTS_ROOMS_AUTH_REQUIRED", "false",
                "RELAYMESH_DIALECTS_ROOMS_STATS_INTERVAL_SECONDS", "60"));

        assertEquals(new RoomsConfig(false, "/relay/ws", 0, ListenerTlsConfig.NONE, 1024, 0, 0, 5000, false,
                Duration.ofMinutes(1)), rooms);
    }

    @Test
    void aListenerPort_needsTls_ofItsOwnOrTheServers() throws Exception {
        List<String> problems = problems(Map.of("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", "8443"));
        assertEquals(List.of("dialects.rooms.listener_port: 8443 needs TLS (the listener serves wss:// only): set "
                + "dialects.rooms.tls_cert_file and dialects.rooms.tls_key_file (or server.tls_cert_file and "
                + "server.tls_key_file), or set it to 0; set by RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT"), problems);

        Map<String, String> own = withTlsFiles(Map.of("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", "8443"),
                "RELAYMESH_DIALECTS_ROOMS_TLS_CERT_FILE", "RELAYMESH_DIALECTS_ROOMS_TLS_KEY_FILE");
        RelaymeshConfig config = loaded(load(Optional.empty(), own)).config();
        assertEquals(dir.resolve("cert.pem").toString(), config.dialects().rooms().listenerTls(config.server()).certFile());
        assertFalse(config.server().tls().enabled(), "the main listener stays plain");

        Map<String, String> shared = withTlsFiles(Map.of("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", "8443"),
                "RELAYMESH_SERVER_TLS_CERT_FILE", "RELAYMESH_SERVER_TLS_KEY_FILE");
        config = loaded(load(Optional.empty(), shared)).config();
        assertEquals(config.server().tls(), config.dialects().rooms().listenerTls(config.server()));
    }

    @Test
    void badValues_areRejected_eachWithItsKey() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("RELAYMESH_DIALECTS_ROOMS_PATH", "rooms",
                "RELAYMESH_DIALECTS_ROOMS_MAX_DATA_BYTES", "3000000",
                "RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "-1",
                "RELAYMESH_DIALECTS_ROOMS_TLS_CERT_FILE", dir.resolve("missing.pem").toString()));
        List<String> problems = problems(env);

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("dialects.rooms.path: \"rooms\" is not a path")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("dialects.rooms.max_data_bytes: 3000000 is out of range")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("dialects.rooms.max_frames_per_second: -1")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("dialects.rooms.tls_key_file: must be set together")),
                problems::toString);

        assertTrue(problems(Map.of("RELAYMESH_DIALECTS_ROOMS_PATH", "/ws")).getFirst()
                .contains("taken by the primary protocol"));
        Map<String, String> clash = withTlsFiles(Map.of("RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT", "8080"),
                "RELAYMESH_DIALECTS_ROOMS_TLS_CERT_FILE", "RELAYMESH_DIALECTS_ROOMS_TLS_KEY_FILE");
        assertEquals(List.of("dialects.rooms.listener_port: 8080 is also server.http_port or server.grpc_port "
                + "(expected a port of its own); set by RELAYMESH_DIALECTS_ROOMS_LISTENER_PORT"), problems(clash));
    }

    @Test
    void standaloneFile_keepsSeedClientsWorking_withAWarning_andTheClusterFile_requiresTokens() {
        RelaymeshConfig standalone = loaded(load(Optional.of(CONFIG_DIR.resolve("standalone.yaml")), Map.of())).config();
        assertFalse(standalone.dialects().rooms().authRequired());
        assertTrue(SecurityWarnings.of(standalone).stream().anyMatch(w -> w.startsWith(
                "dialects.rooms.auth_required is false: anyone who reaches the server may join any topic")),
                SecurityWarnings.of(standalone)::toString);

        RelaymeshConfig cluster = loaded(load(Optional.of(CONFIG_DIR.resolve("config.yaml")), AUTH_ENV)).config();
        assertTrue(cluster.dialects().rooms().authRequired());
        assertTrue(SecurityWarnings.of(cluster).stream().noneMatch(w -> w.startsWith("dialects.rooms")));
    }

    @Test
    void relayExampleFile_servesTheRoomsOn443_withTls_andLoadsOnceItsFilesExist() throws Exception {
        Path file = CONFIG_DIR.resolve("rooms-relay.yaml");
        Map<String, String> env = withTlsFiles(Map.of(), "RELAYMESH_DIALECTS_ROOMS_TLS_CERT_FILE",
                "RELAYMESH_DIALECTS_ROOMS_TLS_KEY_FILE");

        RelaymeshConfig config = loaded(load(Optional.of(file), env)).config();

        assertTrue(config.standalone());
        assertEquals(443, config.dialects().rooms().listenerPort());
        assertTrue(config.dialects().rooms().listenerTls(config.server()).enabled());
        assertFalse(config.dialects().rooms().authRequired());
        // Without the files it names, it says what is missing.
        assertTrue(rejected(load(Optional.of(file), Map.of())).problems().stream()
                .anyMatch(p -> p.startsWith("dialects.rooms.tls_cert_file: \".tls/cert.pem\" is missing")));
    }

    @Test
    void aReload_appliesTheLimits_butKeepsThePathListenerAndFrameSizeForARestart() {
        RelaymeshConfig running = loaded(load(Optional.empty(), Map.of())).config();
        RelaymeshConfig reloaded = loaded(load(Optional.empty(), Map.of("RELAYMESH_DIALECTS_ROOMS_PATH", "/p2p/ws",
                "RELAYMESH_DIALECTS_ROOMS_MAX_DATA_BYTES", "100", "RELAYMESH_DIALECTS_ROOMS_MAX_FRAMES_PER_SECOND", "7",
                "RELAYMESH_DIALECTS_ROOMS_AUTH_REQUIRED", "false"))).config();

        RelaymeshConfig applied = ConfigDiff.applied(running, reloaded);
        ConfigDiff diff = ConfigDiff.between(running, reloaded);

        assertEquals("/rooms/ws", applied.dialects().rooms().path());
        assertEquals(65536, applied.dialects().rooms().maxDataBytes());
        assertEquals(7, applied.dialects().rooms().maxFramesPerSecond());
        assertFalse(applied.dialects().rooms().authRequired());
        assertEquals(List.of("dialects.rooms.path", "dialects.rooms.max_data_bytes"),
                diff.needingRestart().stream().map(ConfigChange::key).toList());
        assertEquals(List.of("dialects.rooms.max_frames_per_second", "dialects.rooms.auth_required"),
                diff.live().stream().map(ConfigChange::key).filter(k -> k.startsWith("dialects.")).toList());
    }
}
