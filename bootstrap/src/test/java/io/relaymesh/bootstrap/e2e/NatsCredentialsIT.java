package io.relaymesh.bootstrap.e2e;

import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NATS password of {@code nats.url} ({@code nats://user:password@host:port}) appears in no log
 * line and not in the unauthenticated {@code /ready} body: the real jar against a real nats-server
 * that requires that user and password, while NATS is up, down and back, and at a failed start.
 */
@ExtendWith(RealServices.class)
class NatsCredentialsIT {
    private static final String USER = "relay-user";
    private static final String PASSWORD = "nats-PASSWORD-0123456789abcdef";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void natsPassword_appearsInNoLogLine_norInReady_whileNatsIsUpDownAndBack(RedisServer redis) throws Exception {
        NatsServer nats = RealServices.newNats("--user", USER, "--pass", PASSWORD);
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-creds", redis.address(), withCredentials(nats)));
        env.put("RELAYMESH_APP_LOG_LEVEL", "debug");
        try (JarProcess jar = JarProcess.start(port, env, 0).awaitUp()) {
            GatewayHarness.eventually(Duration.ofSeconds(20), "ready with NATS up:\n" + jar.tail(20),
                    () -> ready(port).statusCode() == 200);

            nats.stop();
            GatewayHarness.eventually(Duration.ofSeconds(20), "not ready with NATS down:\n" + jar.tail(20),
                    () -> ready(port).statusCode() == 503);
            HttpResponse<String> notReady = ready(port);
            assertFalse(notReady.body().contains(PASSWORD), "/ready shows the NATS password: " + notReady.body());
            assertTrue(notReady.body().contains("nats://***@127.0.0.1:" + nats.port()),
                    "/ready should still name the NATS server, without its credentials: " + notReady.body());
            // A few reconnect attempts (every 2 s), each a chance for jnats or us to print the URL.
            Thread.sleep(4_500);

            nats.start();
            GatewayHarness.eventually(Duration.ofSeconds(30), "ready again with NATS back:\n" + jar.tail(20),
                    () -> ready(port).statusCode() == 200);
            // Shut down (draining NATS logs too) but keep the log file, which close() deletes.
            jar.process.destroy();
            assertTrue(jar.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the jar did not stop");

            String output = jar.output();
            assertTrue(output.contains("NATS connected"), "no NATS line in the output:\n" + output);
            assertFalse(output.contains(PASSWORD), "the jar printed the NATS password:\n" + lines(output, PASSWORD));
            assertTrue(output.contains("***@127.0.0.1:" + nats.port()),
                    "the log should name the NATS server without its credentials:\n" + jar.tail(40));
            assertTrue(output.contains("NATS reconnected"), "the outage was not seen:\n" + jar.tail(40));
        } finally {
            nats.close();
        }
    }

    @Test
    void natsPassword_appearsNowhereInTheOutput_whenTheFirstConnectionFails(RedisServer redis) throws Exception {
        int port = JarProcess.freePort();
        int closedPort = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.putAll(GatewayHarness.clusterEnv("pod-creds-down", redis.address(),
                "nats://" + USER + ":" + PASSWORD + "@127.0.0.1:" + closedPort));
        env.put("RELAYMESH_NATS_RETRY_ON_FAILED_CONNECT", "false");
        env.put("RELAYMESH_APP_LOG_LEVEL", "debug");
        try (JarProcess jar = JarProcess.start(port, env, 0)) {
            int exit = jar.awaitExit(Duration.ofSeconds(30));
            assertNotEquals(0, exit, "the jar should fail to start without NATS:\n" + jar.tail(20));
            String output = jar.output();
            assertFalse(output.contains(PASSWORD), "the jar printed the NATS password:\n" + lines(output, PASSWORD));
            assertTrue(output.contains("nats://***@127.0.0.1:" + closedPort),
                    "the failure should name the NATS server without its credentials:\n" + jar.tail(20));
        }
    }

    private static String withCredentials(NatsServer nats) {
        assertEquals("nats://127.0.0.1:" + nats.port(), nats.url());
        return "nats://" + USER + ":" + PASSWORD + "@127.0.0.1:" + nats.port();
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

    private static String lines(String output, String secret) {
        return String.join("\n", output.lines().filter(l -> l.contains(secret)).toList());
    }
}
