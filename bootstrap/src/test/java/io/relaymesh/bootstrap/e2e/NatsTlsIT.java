package io.relaymesh.bootstrap.e2e;

import io.nats.client.NKey;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pods reach NATS over {@code tls://} with the configured CA, authenticated by an nkey seed file,
 * and refuse a NATS whose certificate another CA signed or that names another host, and a
 * connection without the nkey. A real nats-server that requires TLS and an nkey user, certificates
 * and the nkey made by the test, real pods.
 */
class NatsTlsIT {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static Path seedFile;
    private static Path otherSeedFile;
    private static NatsServer nats;
    private static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        NKey user = NKey.createUser(new SecureRandom());
        seedFile = TestPki.write(dir.resolve("relaymesh.nk"), new String(user.getSeed()) + "\n");
        otherSeedFile = TestPki.write(dir.resolve("stranger.nk"), new String(NKey.createUser(new SecureRandom()).getSeed()) + "\n");
        Path conf = TestPki.write(dir.resolve("nats.conf"), """
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  timeout: 5
                }
                authorization {
                  users = [ { nkey: "%s" } ]
                }
                """.formatted(pki.serverCert(), pki.serverKey(), new String(user.getPublicKey())));
        nats = RealServices.newNats("-c", conf.toString());
        redis = RealServices.newRedis();
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
    void podReachesNatsOverTls_withTheCa_andAnNkey_andDeliversAnEvent() {
        try (GatewayHarness pod = GatewayHarness.pod("pod-nats-tls", redis.address(), tlsUrl("127.0.0.1"),
                env(pki.ca(), seedFile))) {
            GatewayHarness.eventually(Duration.ofSeconds(20), "ready over TLS: " + pod.get("/ready").body(),
                    () -> pod.get("/ready").statusCode() == 200);
            try (WsClient alice = pod.user("acme", "tls", "alice")) {
                pod.publish("websocket.acme.tls.chats", "{\"event_id\":\"nats-tls-1\"}");
                assertEquals("nats-tls-1", alice.next(Duration.ofSeconds(10)).path("payload").path("event_id").asText());
            }
        }
    }

    @Test
    void serverCertificateSignedByAnotherCa_isRefused() {
        PortUnavailableException refused = assertThrows(PortUnavailableException.class,
                () -> GatewayHarness.pod("pod-nats-other-ca", redis.address(), tlsUrl("127.0.0.1"),
                        env(pki.otherCa(), seedFile)).close());
        assertTrue(refused.getMessage().contains("tls://127.0.0.1:" + nats.port()), refused.getMessage());
        assertTrue(refused.getMessage().contains("TLS handshake failed") && refused.getMessage().contains("PKIX path building failed"),
                refused.getMessage());
    }

    @Test
    void certificateIssuedForAnotherHostName_isRefused() {
        // The CA is right, but the certificate names 127.0.0.1 only, not localhost.
        PortUnavailableException refused = assertThrows(PortUnavailableException.class,
                () -> GatewayHarness.pod("pod-nats-hostname", redis.address(), tlsUrl("localhost"),
                        env(pki.ca(), seedFile)).close());
        assertTrue(refused.getMessage().contains("TLS handshake failed") && refused.getMessage().contains("localhost"),
                refused.getMessage());
    }

    @Test
    void anNkeyTheServerDoesNotKnow_isRefused() {
        PortUnavailableException refused = assertThrows(PortUnavailableException.class,
                () -> GatewayHarness.pod("pod-nats-stranger", redis.address(), tlsUrl("127.0.0.1"),
                        env(pki.ca(), otherSeedFile)).close());
        assertTrue(causes(refused).toLowerCase(java.util.Locale.ROOT).contains("authorization"), causes(refused));
    }

    private static String tlsUrl(String host) {
        return "tls://" + host + ":" + nats.port();
    }

    private static Map<String, String> env(Path ca, Path seed) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAYMESH_NATS_TLS_CA_FILE", ca.toString());
        env.put("RELAYMESH_NATS_NKEY_FILE", seed.toString());
        // A refused connection fails the start at once instead of retrying forever.
        env.put("RELAYMESH_NATS_RETRY_ON_FAILED_CONNECT", "false");
        return env;
    }

    /** Every message down the cause chain: jnats puts the TLS or auth reason under its own. */
    private static String causes(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null && all.length() < 10_000; t = t.getCause()) {
            all.append(t).append(" | ");
            for (Throwable suppressed : t.getSuppressed()) {
                all.append(suppressed).append(" | ");
            }
        }
        return all.toString();
    }
}
