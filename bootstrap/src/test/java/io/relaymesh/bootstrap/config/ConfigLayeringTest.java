package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLayeringTest {
    @TempDir
    Path dir;

    @Test
    void noFileAndNoEnvironment_loadsTheBuiltInDefaults() {
        RelaymeshConfig config = loaded(load(Optional.empty(), Map.of())).config();

        ServerConfig server = config.server();
        assertEquals(8080, server.httpPort());
        assertEquals(50051, server.grpcPort());
        assertEquals("0.0.0.0", server.host());
        assertFalse(server.enableReflection());
        assertEquals(0, server.maxConnections());
        assertEquals(65536, server.maxFrameBytes());
        assertEquals(Duration.ofSeconds(10), server.shutdownTimeout());
        assertTrue(server.dashboardsEnabled());
        assertEquals(new NatsConfig("", "wa_stream", "ws_fanout", true, java.time.Duration.ofSeconds(30), -1,
                java.time.Duration.ofMillis(1000), 256), config.nats());
        assertEquals(new RedisConfig("", "", ""), config.redis());
        assertEquals(Duration.ofSeconds(30), config.auth().tokenCacheTtl());
        assertEquals(Duration.ofSeconds(3600), config.auth().defaultTokenTtl());
        assertEquals(Duration.ofSeconds(2592000), config.auth().maxTokenTtl());
        assertEquals(Duration.ofSeconds(3600), config.auth().keyRotationOverlap());
        assertEquals(new AppConfig(Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(10), 100,
                DropPolicy.DROP_OLDEST, Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofSeconds(60),
                20, 40, Duration.ofMillis(2000), LogLevel.INFO, LogFormat.AUTO, Duration.ofMillis(2000),
                4 * 1024 * 1024, 16 * 1024 * 1024, 100_000, 10_000), config.app());
        assertEquals(new AdaptiveTtlConfig(
                new AdaptiveTtl(false, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(120)),
                new AdaptiveTtl(true, Duration.ofSeconds(300), Duration.ofSeconds(900), Duration.ofSeconds(600))),
                config.adaptiveTtl());
        assertTrue(config.standalone());
    }

    @Test
    void emptyPodIdAndAdvertiseAddress_derivedFromTheHost() {
        ServerConfig server = loaded(load(Optional.empty(), Map.of())).config().server();

        assertEquals("pod-7-relaymesh-local", server.podId());
        assertEquals("10.0.0.7:50051", server.grpcAdvertiseAddress());
    }

    @Test
    void fileValues_overrideDefaults_andKeysLeftOutKeepTheirDefaults() {
        Path file = write(dir, """
                server:
                  http_port: 9090
                  pod_id: pod-a
                app:
                  websocket_backpressure_drop_policy: block
                  log_level: debug
                adaptive_ttl:
                  session_lock:
                    enabled: true
                """);

        RelaymeshConfig config = loaded(load(Optional.of(file), Map.of())).config();

        assertEquals(9090, config.server().httpPort());
        assertEquals("pod-a", config.server().podId());
        assertEquals(50051, config.server().grpcPort());
        assertEquals(DropPolicy.BLOCK, config.app().websocketBackpressureDropPolicy());
        assertEquals(LogLevel.DEBUG, config.app().logLevel());
        assertTrue(config.adaptiveTtl().sessionLock().enabled());
        assertEquals(Duration.ofSeconds(15), config.adaptiveTtl().sessionLock().minTtl());
    }

    @Test
    void environment_overridesTheFile() {
        Path file = write(dir, """
                server:
                  http_port: 9090
                  enable_reflection: false
                app:
                  log_level: debug
                """);

        RelaymeshConfig config = loaded(load(Optional.of(file), Map.of(
                "RELAYMESH_SERVER_HTTP_PORT", "7070",
                "RELAYMESH_SERVER_ENABLE_REFLECTION", "true",
                "RELAYMESH_APP_LOG_LEVEL", "warn"))).config();

        assertEquals(7070, config.server().httpPort());
        assertTrue(config.server().enableReflection());
        assertEquals(LogLevel.WARN, config.app().logLevel());
    }

    @Test
    void nestedAdaptiveTtlKeys_areOverriddenByEnvironment() {
        RelaymeshConfig config = loaded(load(Optional.empty(), Map.of(
                "RELAYMESH_ADAPTIVE_TTL_SESSION_LOCK_ENABLED", "true",
                "RELAYMESH_ADAPTIVE_TTL_SESSION_LOCK_MAX_TTL_SECONDS", "45",
                "RELAYMESH_ADAPTIVE_TTL_MESSAGE_ROUTE_ACTIVITY_THRESHOLD_SECONDS", "60"))).config();

        assertTrue(config.adaptiveTtl().sessionLock().enabled());
        assertEquals(Duration.ofSeconds(45), config.adaptiveTtl().sessionLock().maxTtl());
        assertEquals(Duration.ofSeconds(60), config.adaptiveTtl().messageRoute().activityThreshold());
    }

    @Test
    void keyWithNoValueInTheFile_keepsItsDefault() {
        Path file = write(dir, """
                server:
                  http_port:
                redis:
                """);

        assertEquals(8080, loaded(load(Optional.of(file), Map.of())).config().server().httpPort());
    }

    @Test
    void emptyFile_loadsTheDefaults() {
        Path file = write(dir, "# nothing set\n");

        assertEquals(8080, loaded(load(Optional.of(file), Map.of())).config().server().httpPort());
    }

    @Test
    void configFileVariableAndUnrelatedVariables_areNotTreatedAsKeys() {
        LoadResult result = load(Optional.empty(), Map.of(
                "RELAYMESH_CONFIG", "/etc/relaymesh/config.yaml",
                "PATH", "/usr/bin",
                "HOSTNAME", "somewhere"));

        loaded(result);
    }

    @Test
    void quotedNumbersAndBooleansInTheFile_areAccepted() {
        Path file = write(dir, """
                server:
                  http_port: "9091"
                  dashboards_enabled: "false"
                """);

        ServerConfig server = loaded(load(Optional.of(file), Map.of())).config().server();

        assertEquals(9091, server.httpPort());
        assertFalse(server.dashboardsEnabled());
    }

    @Test
    void loadedResult_notesTheFileTheOverridesAndTheMode() {
        Path file = write(dir, "server:\n  http_port: 9090\n");

        var notes = loaded(load(Optional.of(file), Map.of("RELAYMESH_SERVER_GRPC_PORT", "6000"))).notes();

        assertTrue(notes.contains("config file: " + file.toAbsolutePath().normalize()), notes::toString);
        assertTrue(notes.contains("environment overrides: RELAYMESH_SERVER_GRPC_PORT"), notes::toString);
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("mode: standalone")), notes::toString);
    }
}
