package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.problemsOf;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static io.relaymesh.bootstrap.config.TestConfigs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {
    @TempDir
    Path dir;

    /** (what is wrong, the file, the one problem expected). Each is a standalone file, so no auth keys are needed. */
    static Stream<Arguments> singleProblems() {
        return Stream.of(
                Arguments.of("a port above 65535 is out of range",
                        "server:\n  http_port: 70000\n",
                        "server.http_port: 70000 is out of range (expected 0-65535)"),
                Arguments.of("a short AES key gives its length only",
                        "auth:\n  token_aes_key: \"0123456789ab\"\n",
                        "auth.token_aes_key: must be 64 hex characters (32 bytes), got 12 characters"),
                Arguments.of("an AES key of the right length but not hex is rejected",
                        "auth:\n  admin_token_aes_key: \"" + "xyz0".repeat(16) + "\"\n",
                        "auth.admin_token_aes_key: must be 64 hex characters (32 bytes), got 64 characters,"
                                + " not all of them hex digits"),
                Arguments.of("a short API key gives its length only",
                        "auth:\n  secret_token: \"abc123\"\n",
                        "auth.secret_token: must be at least 16 characters, got 6 characters"),
                Arguments.of("an unknown drop policy lists the accepted ones",
                        "app:\n  websocket_backpressure_drop_policy: fast\n",
                        "app.websocket_backpressure_drop_policy: \"fast\" is not one of drop_oldest, block"),
                Arguments.of("an unknown log level lists the accepted ones",
                        "app:\n  log_level: verbose\n",
                        "app.log_level: \"verbose\" is not one of trace, debug, info, warn, error"),
                Arguments.of("a misspelled key is unknown",
                        "server:\n  htp_port: 8080\n",
                        "unknown key server.htp_port in config.yaml"),
                Arguments.of("a misspelled section is unknown",
                        "serverr:\n  http_port: 8080\n",
                        "unknown key serverr in config.yaml"),
                Arguments.of("a misspelled nested section is unknown",
                        "adaptive_ttl:\n  session_lok:\n    enabled: true\n",
                        "unknown key adaptive_ttl.session_lok in config.yaml"),
                Arguments.of("text where an integer belongs is not an integer",
                        "app:\n  session_ttl_seconds: abc\n",
                        "app.session_ttl_seconds: \"abc\" is not an integer"),
                Arguments.of("a fraction is not an integer",
                        "app:\n  route_ttl_seconds: 1.5\n",
                        "app.route_ttl_seconds: 1.5 is not an integer"),
                Arguments.of("yes is not a boolean",
                        "server:\n  enable_reflection: yes\n",
                        "server.enable_reflection: \"yes\" is not a boolean (expected true or false)"),
                Arguments.of("a number is not a boolean",
                        "adaptive_ttl:\n  message_route:\n    enabled: 1\n",
                        "adaptive_ttl.message_route.enabled: 1 is not a boolean (expected true or false)"),
                Arguments.of("a zero TTL must be positive",
                        "app:\n  session_ttl_seconds: 0\n",
                        "app.session_ttl_seconds: 0 must be positive"),
                Arguments.of("a zero buffer is out of range",
                        "app:\n  websocket_message_buffer_size: 0\n",
                        "app.websocket_message_buffer_size: 0 is out of range (expected 1-1000000)"),
                Arguments.of("a negative connection cap must not be negative",
                        "server:\n  max_connections: -1\n",
                        "server.max_connections: -1 must not be negative"),
                Arguments.of("a number too large for an int is out of range",
                        "app:\n  client_message_burst: 99999999999\n",
                        "app.client_message_burst: 99999999999 is out of range (expected at most 2147483647)"),
                Arguments.of("a zero stall timeout must be positive",
                        "app:\n  websocket_stall_timeout_ms: 0\n",
                        "app.websocket_stall_timeout_ms: 0 must be positive"),
                Arguments.of("a hard backlog limit below the soft one is rejected",
                        "app:\n  websocket_max_backlog_bytes: 2000000\n  websocket_hard_backlog_bytes: 1000000\n",
                        "app.websocket_hard_backlog_bytes: 1000000 must be at least app.websocket_max_backlog_bytes"
                                + " (2000000)"),
                Arguments.of("a pong wait not above the ping interval is rejected",
                        "app:\n  ping_interval_seconds: 20\n  pong_wait_seconds: 20\n",
                        "app.pong_wait_seconds: 20 must exceed app.ping_interval_seconds (20)"),
                Arguments.of("an adaptive minimum above the maximum is rejected",
                        "adaptive_ttl:\n  message_route:\n    min_ttl_seconds: 1000\n",
                        "adaptive_ttl.message_route.min_ttl_seconds: 1000 must not exceed"
                                + " adaptive_ttl.message_route.max_ttl_seconds (900)"),
                Arguments.of("a refresh interval not below the session TTL is rejected",
                        "app:\n  ttl_refresh_interval_seconds: 30\n",
                        "app.ttl_refresh_interval_seconds: 30 must be less than app.session_ttl_seconds (30),"
                                + " or session locks expire between refreshes"),
                Arguments.of("an enabled adaptive minimum not above the refresh interval is rejected",
                        "app:\n  ttl_refresh_interval_seconds: 15\n  session_ttl_seconds: 60\n"
                                + "adaptive_ttl:\n  session_lock:\n    enabled: true\n",
                        "app.ttl_refresh_interval_seconds: 15 must be less than"
                                + " adaptive_ttl.session_lock.min_ttl_seconds (15), or idle entries expire between refreshes"),
                Arguments.of("a default token lifetime above the maximum is rejected",
                        "auth:\n  default_token_ttl_seconds: 7200\n  max_token_ttl_seconds: 3600\n",
                        "auth.default_token_ttl_seconds: 7200 must not exceed auth.max_token_ttl_seconds (3600)"),
                Arguments.of("the same port for HTTP and gRPC is rejected",
                        "server:\n  http_port: 9000\n  grpc_port: 9000\n",
                        "server.grpc_port: 9000 is also server.http_port (expected a different port)"),
                Arguments.of("the same API key for users and admins is rejected",
                        "auth:\n  secret_token: \"" + TestConfigs.API_KEY + "\"\n  admin_secret_token: \""
                                + TestConfigs.API_KEY + "\"\n",
                        "auth.admin_secret_token: must differ from auth.secret_token"),
                Arguments.of("a client key equal to the server key is rejected: it would put the minting key in browsers",
                        "auth:\n  secret_token: \"" + TestConfigs.API_KEY + "\"\n  client_api_key: \""
                                + TestConfigs.API_KEY + "\"\n",
                        "auth.client_api_key: must differ from auth.secret_token"),
                Arguments.of("an allowed origin with a path is rejected",
                        "server:\n  allowed_origins: [\"https://app.example.com/chat\"]\n",
                        "server.allowed_origins: \"https://app.example.com/chat\" is not an origin (expected "
                                + "scheme://host or scheme://host:port, e.g. https://app.example.com, with no path)"),
                Arguments.of("allowed origins must be a list of strings",
                        "server:\n  allowed_origins: [1]\n",
                        "server.allowed_origins: expected a list of strings without commas, got a number in it"),
                Arguments.of("an advertise address without a port is rejected",
                        "server:\n  grpc_advertise_address: pod-a\n",
                        "server.grpc_advertise_address: \"pod-a\" is not host:port (port 1-65535)"),
                Arguments.of("a stream name with a dot is rejected",
                        "nats:\n  stream_name: wa.stream\n",
                        "nats.stream_name: \"wa.stream\" may contain only letters, digits, '_' and '-'"),
                Arguments.of("a number where text belongs must be quoted",
                        "redis:\n  key_prefix: 42\n",
                        "redis.key_prefix: 42 is not a string (put it in quotes)"),
                Arguments.of("a section given as a value is rejected",
                        "server: 8080\n",
                        "server: expected a section of keys, got a number"),
                Arguments.of("a key given as a section is rejected",
                        "server:\n  http_port:\n    value: 8080\n",
                        "server.http_port: expected a single value, got a section"),
                Arguments.of("a file that is not a mapping is rejected",
                        "- server\n",
                        "config.yaml: expected sections (server, nats, redis, auth, app, adaptive_ttl, dialects) at the top level,"
                                + " got a list"),
                Arguments.of("a YAML syntax error names the file and the line",
                        "server:\n  http_port: 8080\n grpc_port: 50051\n",
                        "config.yaml: invalid YAML at line 3, column 2: expected <block end>, but found '<block mapping start>'"),
                Arguments.of("a duplicate key names the file and the line",
                        "server:\n  http_port: 8080\n  http_port: 9090\n",
                        "config.yaml: invalid YAML at line 3, column 3: found duplicate key http_port"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleProblems")
    void eachProblem_isReportedWithItsExactMessage_andStopsStartUp(String what, String yaml, String expected) {
        assertEquals(List.of(expected), problemsOf(dir, yaml));
    }

    @Test
    void problemWithAnEnvironmentValue_namesTheVariable() {
        List<String> problems = rejected(load(Optional.empty(), Map.of("RELAYMESH_SERVER_HTTP_PORT", "70000")))
                .problems();

        assertEquals(List.of("server.http_port: 70000 is out of range (expected 0-65535);"
                + " set by RELAYMESH_SERVER_HTTP_PORT"), problems);
    }

    @Test
    void booleanFromEnvironment_mustBeTrueOrFalse() {
        List<String> problems = rejected(load(Optional.empty(),
                Map.of("RELAYMESH_ADAPTIVE_TTL_SESSION_LOCK_ENABLED", "1"))).problems();

        assertEquals(List.of("adaptive_ttl.session_lock.enabled: \"1\" is not a boolean (expected true or false);"
                + " set by RELAYMESH_ADAPTIVE_TTL_SESSION_LOCK_ENABLED"), problems);
    }

    @Test
    void listenerTls_needsBothFiles_andEachMustBeReadable() {
        List<String> alone = rejected(load(Optional.empty(), Map.of(
                "RELAYMESH_SERVER_TLS_CERT_FILE", "/etc/hosts"))).problems();
        assertEquals(1, alone.size(), alone.toString());
        assertTrue(alone.get(0).startsWith("server.tls_key_file: must be set together with server.tls_cert_file"),
                alone.toString());

        List<String> missing = rejected(load(Optional.empty(), Map.of(
                "RELAYMESH_SERVER_TLS_CERT_FILE", "/no/such/cert.pem",
                "RELAYMESH_SERVER_TLS_KEY_FILE", "/no/such/key.pem"))).problems();
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.stream().allMatch(p -> p.contains("is missing or not readable")), missing.toString());
    }

    @Test
    void natsDeliverySettings_areValidated() {
        List<String> problems = rejected(load(Optional.empty(), Map.of(
                "RELAYMESH_NATS_MAX_DELIVER", "0",
                "RELAYMESH_NATS_ACK_WAIT_SECONDS", "0",
                "RELAYMESH_NATS_MAX_IN_FLIGHT", "0"))).problems();

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("nats.max_deliver: 0 is not allowed")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("nats.ack_wait_seconds: 0 is out of range")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("nats.max_in_flight: 0 is out of range")),
                problems.toString());
    }

    @Test
    void unknownEnvironmentVariable_isRejected() {
        List<String> problems = rejected(load(Optional.empty(), Map.of("RELAYMESH_SERVER_HTTP_PROT", "8080")))
                .problems();

        assertEquals(List.of("unknown environment variable RELAYMESH_SERVER_HTTP_PROT (no such key)"), problems);
    }

    @Test
    void missingConfigFile_isRejectedNamingThePath() {
        Path missing = dir.resolve("missing.yaml");

        List<String> problems = rejected(load(Optional.of(missing), Map.of())).problems();

        assertEquals(List.of("config file " + missing + " cannot be read: no such file"), problems);
    }

    @Test
    void everyProblem_isReported_notJustTheFirst() {
        Path file = write(dir, """
                server:
                  http_port: 70000
                  htp_port: 1
                app:
                  session_ttl_seconds: abc
                  websocket_backpressure_drop_policy: fast
                  ping_interval_seconds: 60
                  pong_wait_seconds: 30
                """);

        List<String> problems = rejected(load(Optional.of(file), Map.of(
                "RELAYMESH_APP_LOG_LEVEL", "loud",
                "RELAYMESH_NOPE", "x"))).problems();

        assertEquals(List.of(
                "unknown key server.htp_port in config.yaml",
                "unknown environment variable RELAYMESH_NOPE (no such key)",
                "server.http_port: 70000 is out of range (expected 0-65535)",
                "app.session_ttl_seconds: \"abc\" is not an integer",
                "app.websocket_backpressure_drop_policy: \"fast\" is not one of drop_oldest, block",
                "app.log_level: \"loud\" is not one of trace, debug, info, warn, error; set by RELAYMESH_APP_LOG_LEVEL",
                "app.pong_wait_seconds: 30 must exceed app.ping_interval_seconds (60)"), problems);
    }

    @Test
    void valueThatFailedItsOwnCheck_isNotReportedAgainByCrossChecks() {
        // pong_wait is invalid on its own; comparing its fallback with ping_interval would add noise.
        assertEquals(List.of("app.pong_wait_seconds: \"soon\" is not an integer"),
                problemsOf(dir, "app:\n  ping_interval_seconds: 90\n  pong_wait_seconds: soon\n"));
    }

    @Test
    void everyNonTextKey_isChecked_soNoKeyIsSilentlyIgnored() {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.defaultValue() instanceof String) {
                continue;
            }
            List<String> problems = rejected(load(Optional.empty(), Map.of(key.envVariable(), "?"))).problems();

            assertEquals(1, problems.size(), key + ": " + problems);
            assertEquals(key.path() + ": ", problems.getFirst().substring(0, key.path().length() + 2));
        }
    }
}
