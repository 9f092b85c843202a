package io.relaymesh.bootstrap.e2e;

import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

/**
 * The user and admin dashboards in real browsers (Debian's Chromium, driven by playwright-core;
 * Debian's Firefox ESR, driven by puppeteer-core) against real gateways: the built jar standalone,
 * and two pods on real Redis and NATS. The scenarios are in {@code src/test/browser/*.mjs}; each
 * writes screenshots to {@code target/dashboard-screenshots/}.
 */
@ExtendWith(RealServices.class)
class DashboardBrowserIT {

    @Test
    void standaloneJar_userSeesEventsAndTheKick_adminSeesThePodAndPublishes() throws Exception {
        BrowserScript.requireTools();
        int port = JarProcess.freePort();
        // As under make run: no key configured, so the jar generates them and the pages prefill them;
        // and the safe default (no server key accepted on socket URLs), which the pages must work with.
        try (JarProcess jar = JarProcess.start(port, JarProcess.unkeyedEnv(port), 0).awaitUp()) {
            Map<String, String> keys = jar.generatedKeys();
            BrowserScript.run("standalone.mjs", Map.of(
                    "RELAYMESH_URL", "http://127.0.0.1:" + jar.port,
                    "RELAYMESH_API_KEY", keys.get("RELAYMESH_AUTH_SECRET_TOKEN"),
                    "RELAYMESH_ADMIN_API_KEY", keys.get("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN")));
        }
    }

    @Test
    void standaloneJar_inFirefox_userSeesAnEventAndTheKick_adminSeesThePodChartsAndPublishes() throws Exception {
        BrowserScript.requireTools(BrowserScript.Browser.FIREFOX);
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(port, JarProcess.unkeyedEnv(port), 0).awaitUp()) {
            Map<String, String> keys = jar.generatedKeys();
            BrowserScript.run(BrowserScript.Browser.FIREFOX, "firefox.mjs", Map.of(
                    "RELAYMESH_URL", "http://127.0.0.1:" + jar.port,
                    "RELAYMESH_API_KEY", keys.get("RELAYMESH_AUTH_SECRET_TOKEN"),
                    "RELAYMESH_ADMIN_API_KEY", keys.get("RELAYMESH_AUTH_ADMIN_SECRET_TOKEN")));
        }
    }

    @Test
    void twoPods_clusterViewListsBoth_sessionsFindAndKickAUserOnTheOtherPod() throws Exception {
        BrowserScript.requireTools();
        RedisServer redis = RealServices.newRedis();
        NatsServer nats = RealServices.newNats();
        Map<String, String> safe = Map.of("RELAYMESH_AUTH_WS_ACCEPTS_SECRET_TOKEN", "false");
        try (GatewayHarness a = GatewayHarness.pod("pod-a", redis.address(), nats.url(), safe);
             GatewayHarness b = GatewayHarness.pod("pod-b", redis.address(), nats.url(), safe)) {
            BrowserScript.run("cluster.mjs", Map.of(
                    "RELAYMESH_POD_A_URL", "http://127.0.0.1:" + a.port(),
                    "RELAYMESH_POD_B_URL", "http://127.0.0.1:" + b.port(),
                    "RELAYMESH_POD_A_ID", "pod-a",
                    "RELAYMESH_POD_B_ID", "pod-b",
                    "RELAYMESH_API_KEY", GatewayHarness.GENERAL_KEY,
                    "RELAYMESH_ADMIN_API_KEY", GatewayHarness.ADMIN_KEY));
        } finally {
            nats.close();
            redis.close();
        }
    }
}
