package io.relaymesh.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.relaymesh.adapters.crypto.AesGcmTokenCodec;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.ConfigLoader;
import io.relaymesh.bootstrap.config.LoadResult;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.wiring.CoreModule;
import io.relaymesh.bootstrap.wiring.WebModule;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec;
import io.relaymesh.application.auth.ApiKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a config file into the settings holders of a running pod (without a server). */
class ConfigReloaderTest {
    private static final String GENERAL = "general-key-0123456789abcdefghij";
    private static final String ADMIN = "admin-key-0123456789abcdefghijklm";
    private static final String USER_AES = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String ADMIN_AES = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    private static final String NEW_GENERAL = "rotated-general-key-0123456789ab";
    private static final String NEW_USER_AES = "0123456789abcdef".repeat(4);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private ConfigReloader reloader;
    private ConfigReloader.Targets targets;

    @AfterEach
    void close() {
        if (reloader != null) {
            reloader.close();
        }
    }

    private static String yaml(String general, String userAes, String app) {
        return """
                server:
                  pod_id: "reload-pod"
                auth:
                  secret_token: "%s"
                  token_aes_key: "%s"
                  admin_secret_token: "%s"
                  admin_token_aes_key: "%s"
                  key_rotation_overlap_seconds: 60
                app:
                %s
                """.formatted(general, userAes, ADMIN, ADMIN_AES, app.indent(2).stripTrailing());
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private ConfigReloader start(Path file, Map<String, String> env) {
        LoadResult.Loaded loaded = (LoadResult.Loaded) ConfigLoader.load(Optional.of(file), env);
        RelaymeshConfig config = loaded.config();
        targets = new ConfigReloader.Targets(new Settings<>(CoreModule.gatewaySettingsOf(config)),
                new Settings<>(WebModule.writerSettingsOf(config)), new Settings<>(WebModule.livenessSettingsOf(config)),
                new Settings<>(new ApiKeys(config.auth().secretToken(), config.auth().adminSecretToken())),
                new Settings<>(new AesGcmTokenCodec(config.auth().tokenAesKey(), config.auth().adminTokenAesKey())),
                new Settings<>(io.relaymesh.bootstrap.wiring.CryptoModule.jwtVerifierOf(config)),
                config.server().podId());
        reloader = new ConfigReloader(Optional.of(file), env, loaded, targets, registry, now::get);
        return reloader;
    }

    private double reloads(String result) {
        return registry.get("relaymesh_config_reloads").tag("result", result).counter().count();
    }

    @Test
    void changedRateLimitBufferBacklogAndPing_areApplied_andCountedAsApplied() throws IOException {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        write(yaml(GENERAL, USER_AES, """
                client_max_messages_per_second: 3
                websocket_message_buffer_size: 7
                websocket_stall_timeout_ms: 750
                websocket_max_backlog_bytes: 50000
                websocket_hard_backlog_bytes: 90000
                ping_interval_seconds: 5
                pong_wait_seconds: 15
                ttl_refresh_interval_seconds: 2"""));

        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));

        assertEquals(3, targets.gateway().get().messagesPerSecond());
        assertEquals(Duration.ofSeconds(2), targets.gateway().get().refreshInterval());
        assertEquals(7, targets.writer().get().bufferSize());
        assertEquals(Duration.ofMillis(750), targets.writer().get().stallTimeout());
        assertEquals(50_000, targets.writer().get().maxBacklogBytes());
        assertEquals(90_000, targets.writer().get().hardBacklogBytes());
        assertEquals(Duration.ofSeconds(5), targets.liveness().get().pingInterval());
        assertEquals(1.0, reloads("applied"));
        assertEquals(0.0, reloads("rejected"));
    }

    @Test
    void aDialectsLimits_followAReload_butItsPathWaitsForARestart() throws IOException {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        io.relaymesh.application.settings.Settings<io.relaymesh.application.rooms.RoomsSettings> rooms =
                new io.relaymesh.application.settings.Settings<>(
                        io.relaymesh.bootstrap.wiring.RoomsDialectModule.roomsSettingsOf(reloader.running()));
        targets = new ConfigReloader.Targets(targets.gateway(), targets.writer(), targets.liveness(), targets.apiKeys(),
                targets.codec(), targets.jwt(), targets.podId(), () -> { }, targets.retention(),
                List.of(config -> rooms.set(io.relaymesh.bootstrap.wiring.RoomsDialectModule.roomsSettingsOf(config))));
        reloader.close();
        reloader = new ConfigReloader(Optional.of(file), Map.of(), (LoadResult.Loaded) ConfigLoader.load(Optional.of(file),
                Map.of()), targets, registry, now::get);
        assertEquals(100, rooms.get().maxFramesPerSecond());
        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20") + """
                dialects:
                  rooms:
                    max_frames_per_second: 7
                    auth_required: false
                    path: "/p2p/ws"
                """);

        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));

        assertEquals(7, rooms.get().maxFramesPerSecond());
        assertFalse(rooms.get().authRequired());
        assertEquals("/rooms/ws", reloader.running().dialects().rooms().path(), "the path needs a restart");
    }

    @Test
    void brokenFile_isRejected_andTheRunningSettingsStay() throws IOException {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        var before = targets.gateway().get();
        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: -4\nno_such_key: 1"));

        assertEquals(ConfigReloader.Result.REJECTED, reloader.reload("test"));
        write("app: [unclosed");
        assertEquals(ConfigReloader.Result.REJECTED, reloader.reload("test"));

        assertEquals(before, targets.gateway().get());
        assertEquals(2.0, reloads("rejected"));
        // Fixed again, it applies.
        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 4"));
        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));
        assertEquals(4, targets.gateway().get().messagesPerSecond());
    }

    @Test
    void sameFile_isUnchanged() throws IOException {
        start(write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20")), Map.of());

        assertEquals(ConfigReloader.Result.UNCHANGED, reloader.reload("test"));
        assertEquals(1.0, reloads("unchanged"));
    }

    @Test
    void changedPort_isNotApplied_andStaysPendingOnTheNextReload() throws IOException {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        int port = reloader.running().server().httpPort();
        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20").replace("server:\n",
                "server:\n  http_port: 9191\n"));

        assertEquals(ConfigReloader.Result.UNCHANGED, reloader.reload("test"));
        assertEquals(ConfigReloader.Result.UNCHANGED, reloader.reload("test"));

        assertEquals(port, reloader.running().server().httpPort());
    }

    @Test
    void changedKeys_keepTheOldOnesAcceptedForTheOverlap_thenDropThem() throws IOException {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        UserClaims alice = new UserClaims("acme", "support", "alice", T0.plusSeconds(86400));
        String oldToken = targets.codec().get().encodeUser(alice);
        write(yaml(NEW_GENERAL, NEW_USER_AES, "client_max_messages_per_second: 20"));

        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));

        assertTrue(targets.apiKeys().get().isGeneral(GENERAL));
        assertTrue(targets.apiKeys().get().isGeneral(NEW_GENERAL));
        assertTrue(targets.codec().get().decodeUser(oldToken) instanceof TokenCodec.Decoded.Valid);
        String newToken = targets.codec().get().encodeUser(alice);
        assertFalse(new AesGcmTokenCodec(USER_AES, ADMIN_AES).decodeUser(newToken) instanceof TokenCodec.Decoded.Valid,
                "new tokens must use the new key");

        now.set(T0.plusSeconds(61));
        reloader.dropExpiredKeys();

        assertFalse(targets.apiKeys().get().isGeneral(GENERAL));
        assertTrue(targets.apiKeys().get().isGeneral(NEW_GENERAL));
        assertTrue(targets.codec().get().decodeUser(oldToken) instanceof TokenCodec.Decoded.Invalid);
        assertTrue(targets.codec().get().decodeUser(newToken) instanceof TokenCodec.Decoded.Valid);
    }

    @Test
    void changedClientKeyAndCompatibilitySetting_applyOnReload_theOldClientKeyKeptForTheOverlap() throws IOException {
        String clientAuth = "client_max_messages_per_second: 20";
        Path file = write(yaml(GENERAL, USER_AES, clientAuth).replace("  key_rotation_overlap_seconds: 60",
                "  key_rotation_overlap_seconds: 60\n  client_api_key: \"client-key-0000000001\"\n"
                        + "  ws_accepts_secret_token: true"));
        start(file, Map.of());
        targets.apiKeys().set(new ApiKeys(GENERAL, ADMIN)); // as wired at start: seed-compatible
        write(yaml(GENERAL, USER_AES, clientAuth).replace("  key_rotation_overlap_seconds: 60",
                "  key_rotation_overlap_seconds: 60\n  client_api_key: \"client-key-0000000002\""));

        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));

        ApiKeys keys = targets.apiKeys().get();
        assertTrue(keys.checkSocket("client-key-0000000002", false) instanceof ApiKeys.SocketKey.Accepted);
        assertTrue(keys.checkSocket("client-key-0000000001", false) instanceof ApiKeys.SocketKey.Accepted,
                "the previous client key stays accepted during the overlap");
        assertTrue(keys.checkSocket(GENERAL, false) instanceof ApiKeys.SocketKey.Refused,
                "ws_accepts_secret_token turned off by the reload");
        now.set(T0.plusSeconds(61));
        reloader.dropExpiredKeys();
        assertTrue(targets.apiKeys().get().checkSocket("client-key-0000000001", false) instanceof ApiKeys.SocketKey.Refused);
    }

    @Test
    void standaloneGeneratedKeys_surviveAReload_butAKeyTheFileNowSetsReplacesThem() throws IOException {
        Path file = write("app:\n  client_message_burst: 40\n");
        LoadResult.Loaded first = (LoadResult.Loaded) ConfigLoader.load(Optional.of(file), Map.of());
        assertEquals(4, first.generatedSecrets().keys().size());
        start(file, Map.of());
        String generated = targets.apiKeys().get().general();
        write("app:\n  client_message_burst: 41\n");

        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));
        assertEquals(generated, reloader.running().auth().secretToken());
        assertEquals(41, targets.gateway().get().messageBurst());

        write("auth:\n  secret_token: \"" + NEW_GENERAL + "\"\napp:\n  client_message_burst: 41\n");
        assertEquals(ConfigReloader.Result.APPLIED, reloader.reload("test"));
        assertEquals(NEW_GENERAL, reloader.running().auth().secretToken());
        assertNotEquals(generated, targets.apiKeys().get().general());
    }

    @Test
    void touchingTheFileWithoutChangingIt_doesNotReload() throws Exception {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        reloader.watchFile();

        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now()));
        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        Thread.sleep(ConfigReloader.FILE_DEBOUNCE.toMillis() * 3);

        assertEquals(0.0, reloads("applied") + reloads("unchanged") + reloads("rejected"));
    }

    @Test
    void savingTheFile_reloadsWithoutASignal() throws Exception {
        Path file = write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 20"));
        start(file, Map.of());
        reloader.watchFile();

        write(yaml(GENERAL, USER_AES, "client_max_messages_per_second: 9"));

        // The reload is counted once it is done.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reloads("applied") < 1.0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1.0, reloads("applied"));
        assertEquals(9, targets.gateway().get().messagesPerSecond());
    }
}
