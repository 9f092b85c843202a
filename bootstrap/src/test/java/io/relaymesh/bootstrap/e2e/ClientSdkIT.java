package io.relaymesh.bootstrap.e2e;

import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;

/**
 * The JavaScript client SDK ({@code clients/js}, {@code @relaymesh/client}) in Node against real
 * gateways: the built jar standalone, and two pods on real Redis and NATS. The scenarios are in
 * {@code clients/js/test/e2e/*.mjs}; this test starts the gateways and does what only it can (restart
 * the jar, stop a pod) when a script asks. Tests tagged {@code resume} need the server side of
 * issue 18 (positions, {@code since}, {@code recovered}).
 */
@ExtendWith(RealServices.class)
class ClientSdkIT {
    private static final String CLIENT_KEY = "client-key-0123456789abcdefghijk";
    private static final String ADMIN_CLIENT_KEY = "admin-client-key-0123456789abcdef";

    /** The safe setting (no server key on sockets) with client keys configured, so every socket must carry one. */
    private static Map<String, String> withClientKeys(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("RELAYMESH_AUTH_WS_ACCEPTS_SECRET_TOKEN", "false");
        all.put("RELAYMESH_AUTH_CLIENT_API_KEY", CLIENT_KEY);
        all.put("RELAYMESH_AUTH_ADMIN_CLIENT_API_KEY", ADMIN_CLIENT_KEY);
        return all;
    }

    private static Map<String, String> scriptEnv(Map<String, String> urls) {
        Map<String, String> env = new HashMap<>(urls);
        env.put("RELAYMESH_API_KEY", GatewayHarness.GENERAL_KEY);
        env.put("RELAYMESH_ADMIN_API_KEY", GatewayHarness.ADMIN_KEY);
        env.put("RELAYMESH_CLIENT_KEY", CLIENT_KEY);
        env.put("RELAYMESH_ADMIN_CLIENT_KEY", ADMIN_CLIENT_KEY);
        return env;
    }

    @Test
    void standaloneJar_sdkConnectsGetsEventsSelectsAChatReconnectsAndStopsAfter4401_4402_4403_4409() throws Exception {
        runAgainstJar("standalone.mjs");
    }

    @Test
    @Tag("resume")
    void standaloneJar_sdkResumesAfterANetworkDropWithRecoveredTrue_andGetsRecoveredFalseAfterARestart() throws Exception {
        runAgainstJar("standalone-resume.mjs");
    }

    @Test
    void twoPods_sdkGetsEventsPublishedOnTheOtherPod_andMovesToPodBWhenPodAGoesAway() throws Exception {
        runAgainstTwoPods("cluster.mjs");
    }

    @Test
    @Tag("resume")
    void twoPods_sdkHandsEventsOverInOrder_andResumesOnPodBWithEveryMissedEventOnce() throws Exception {
        runAgainstTwoPods("cluster-resume.mjs");
    }

    /** Runs {@code script} against the built jar; the action {@code restart} stops it and starts a new one on the same port. */
    private static void runAgainstJar(String script) throws Exception {
        SdkScript.requireTools();
        int port = JarProcess.freePort();
        Map<String, String> env = withClientKeys(JarProcess.safeEnv(port));
        JarProcess[] jar = {JarProcess.start(port, env, 0).awaitUp()};
        try {
            SdkScript.run(script, scriptEnv(Map.of("RELAYMESH_URL", "http://127.0.0.1:" + port)), Map.of(
                    "restart", () -> {
                        jar[0].close();
                        jar[0] = JarProcess.start(port, env, 0).awaitUp();
                    }));
        } finally {
            jar[0].close();
        }
    }

    /** Runs {@code script} against two pods; the action {@code stop-a} closes pod A (its sockets get 1001). */
    private static void runAgainstTwoPods(String script) throws Exception {
        SdkScript.requireTools();
        RedisServer redis = RealServices.newRedis();
        NatsServer nats = RealServices.newNats();
        Map<String, String> env = withClientKeys(Map.of());
        try (GatewayHarness a = GatewayHarness.pod("pod-a", redis.address(), nats.url(), env);
             GatewayHarness b = GatewayHarness.pod("pod-b", redis.address(), nats.url(), env)) {
            SdkScript.run(script, scriptEnv(Map.of(
                            "RELAYMESH_POD_A_URL", "http://127.0.0.1:" + a.port(),
                            "RELAYMESH_POD_B_URL", "http://127.0.0.1:" + b.port())),
                    Map.of("stop-a", a::close));
        } finally {
            nats.close();
            redis.close();
        }
    }
}
