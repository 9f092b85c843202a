package io.relaymesh.bootstrap.e2e;

import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pods reach Redis over TLS as an ACL user, and refuse every Redis that cannot prove it is the one
 * configured: a certificate from another CA, a certificate for another host name, a plain
 * connection, a wrong password. A real redis-server with {@code --tls-port} only, certificates made
 * by the test, real pods; the wrong password is checked on the real jar, whose log must not show it.
 */
class RedisTlsIT {
    private static final String USER = "relaymesh";
    private static final String PASSWORD = "redis-acl-PASSWORD-0123456789abcdef";
    private static final String WRONG_PASSWORD = "wrong-redis-PASSWORD-fedcba9876543210";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RedisServer redis;
    private static NatsServer nats;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        pki = TestPki.create(dir);
        // The default user is off: only the ACL user gets in.
        redis = RealServices.newTlsRedis(pki.serverCert(), pki.serverKey(), pki.ca(),
                "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all", "--user", "default", "off");
        nats = RealServices.newNats();
    }

    @AfterAll
    static void stop() {
        if (nats != null) {
            nats.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void podReachesRedisOverTls_asAnAclUser_andDeliversAnEvent() {
        try (GatewayHarness pod = GatewayHarness.pod("pod-redis-tls", redis.address(), nats.url(),
                tlsEnv(pki.ca().toString(), PASSWORD))) {
            GatewayHarness.eventually(Duration.ofSeconds(20), "ready over TLS: " + pod.get("/ready").body(),
                    () -> pod.get("/ready").statusCode() == 200);
            try (WsClient alice = pod.user("acme", "tls", "alice")) {
                pod.publish("websocket.acme.tls.chats", "{\"event_id\":\"over-tls-1\"}");
                assertEquals("over-tls-1", alice.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
            }
        }
    }

    @Test
    void serverCertificateSignedByAnotherCa_isRefused() {
        String problem = redisProblem(GatewayHarness.pod("pod-redis-other-ca", redis.address(), nats.url(),
                tlsEnv(pki.otherCa().toString(), PASSWORD)));
        assertTrue(problem.contains("TLS handshake failed") && problem.contains("PKIX"), problem);
    }

    @Test
    void certificateIssuedForAnotherHostName_isRefused() {
        // The CA is right, but the certificate names 127.0.0.1 only, not localhost.
        String problem = redisProblem(GatewayHarness.pod("pod-redis-hostname", "localhost:" + redis.port(), nats.url(),
                tlsEnv(pki.ca().toString(), PASSWORD)));
        assertTrue(problem.contains("TLS handshake failed") && problem.contains("localhost"), problem);
    }

    @Test
    void plainConnectionToTheTlsPort_isNotReady() {
        Map<String, String> env = new HashMap<>(tlsEnv(pki.ca().toString(), PASSWORD));
        env.remove("RELAYMESH_REDIS_TLS_CA_FILE");
        env.put("RELAYMESH_REDIS_TLS", "false");
        String problem = redisProblem(GatewayHarness.pod("pod-redis-plain", redis.address(), nats.url(), env));
        assertTrue(problem.contains("Redis at " + redis.address() + " does not answer PING"), problem);
    }

    @Test
    void wrongPassword_keepsTheJarNotReady_namingTheRefusal_andNoLogLineShowsThePassword() throws Exception {
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-redis-wrongpass", redis.address(), nats.url()));
        env.putAll(tlsEnv(pki.ca().toString(), WRONG_PASSWORD));
        env.put("RELAYMESH_APP_LOG_LEVEL", "debug");
        try (JarProcess jar = JarProcess.start(port, env, 0).awaitUp()) {
            GatewayHarness.eventually(Duration.ofSeconds(20), "not ready with a wrong password:\n" + jar.tail(20),
                    () -> ready(port).statusCode() == 503);
            String body = ready(port).body();
            assertTrue(body.contains("WRONGPASS"), "/ready should say Redis refused the login: " + body);
            assertFalse(body.contains(WRONG_PASSWORD), body);
            jar.process.destroy();
            assertTrue(jar.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the jar did not stop");
            String output = jar.output();
            assertTrue(output.contains("redis"), "no Redis line in the output:\n" + jar.tail(40));
            assertFalse(output.contains(WRONG_PASSWORD), "the jar printed the Redis password:\n"
                    + String.join("\n", output.lines().filter(l -> l.contains(WRONG_PASSWORD)).toList()));
        }
    }

    private static Map<String, String> tlsEnv(String caFile, String password) {
        return Map.of(
                "RELAYMESH_REDIS_TLS", "true",
                "RELAYMESH_REDIS_TLS_CA_FILE", caFile,
                "RELAYMESH_REDIS_USERNAME", USER,
                "RELAYMESH_REDIS_PASSWORD", password);
    }

    /** The Redis problem {@code /ready} reports for a pod that must not reach Redis; closes the pod. */
    private static String redisProblem(GatewayHarness pod) {
        try (pod) {
            GatewayHarness.eventually(Duration.ofSeconds(20), "not ready: " + pod.get("/ready").body(),
                    () -> pod.get("/ready").statusCode() == 503);
            String problem = GatewayHarness.json(pod.get("/ready").body()).path("checks").path("redis")
                    .path("problem").asText();
            assertFalse(problem.isEmpty(), pod.get("/ready").body());
            return problem;
        }
    }

    private HttpResponse<String> ready(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
