package io.relaymesh.bootstrap.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relaymesh.bootstrap.config.RelaymeshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/haproxy.cfg: one port for users, WebSocket upgrades relayed and kept open, every replica
 * of the compose service {@code relaymesh} found through Docker's DNS and health-checked.
 */
class LoadBalancerConfigTest {
    private static final HaproxyConfig LB = HaproxyConfig.load();
    private static final String NAME = LB.name();
    private static final Map.Entry<String, List<String>> FRONTEND = LB.first("frontend");

    private static List<String> backend() {
        String name = LB.setting(FRONTEND.getValue(), "default_backend")
                .orElseGet(() -> fail(NAME + ": the frontend has no default_backend"));
        return LB.section("backend " + name);
    }

    @Test
    void frontend_listensOnThePortComposePublishes() {
        List<ComposeFile.Port> lb = ComposeFile.ports(ComposeFile.load().service("lb"), Map.of());
        assertEquals(1, lb.size(), "docker-compose.yml lb ports " + lb);
        assertEquals(lb.get(0).container(), LB.frontendPort(), NAME + ": frontend bind port");
    }

    @Test
    void webSockets_areRelayedAsHttpUpgrades_andKeptOpenLongerThanThePongWait() {
        RelaymeshConfig config = DeployFiles.imageConfig();
        // In tcp mode there is no health check on /ready and no X-Forwarded-For; in http mode
        // HAProxy forwards Upgrade: websocket and switches to a tunnel on 101.
        assertEquals(Optional.of("http"), LB.setting(FRONTEND.getValue(), "mode"), NAME + ": frontend mode");
        assertEquals(Optional.of("http"), LB.setting(backend(), "mode"), NAME + ": backend mode");
        for (List<String> section : List.of(FRONTEND.getValue(), backend())) {
            assertFalse(section.contains("option httpclose"), NAME + ": option httpclose would break upgrades");
        }
        Duration tunnel = LB.time(LB.setting(backend(), "timeout tunnel")
                .orElseGet(() -> fail(NAME + ": no 'timeout tunnel': an upgraded"
                        + " WebSocket would be cut after 'timeout client/server'")));
        assertTrue(tunnel.compareTo(config.app().pongWait()) > 0, NAME + ": timeout tunnel " + tunnel
                + " should exceed app.pong_wait_seconds, or the LB cuts sockets the server still keeps");
        assertTrue(tunnel.compareTo(Duration.ofMinutes(10)) >= 0, NAME + ": timeout tunnel " + tunnel + " is short");
    }

    @Test
    void backend_targetsTheRelaymeshServiceOnTheHttpPort_throughDockerDns() {
        RelaymeshConfig config = DeployFiles.imageConfig();
        List<String> servers = backend().stream().filter(l -> l.startsWith("server-template ") || l.startsWith("server "))
                .toList();
        assertEquals(1, servers.size(), NAME + ": expected one server-template for every replica, got " + servers);
        String[] words = servers.get(0).split(" ");
        assertEquals("server-template", words[0],
                NAME + ": use server-template so that replicas added by --scale are found: " + servers.get(0));
        String target = "relaymesh:" + config.server().httpPort();
        assertEquals(target, words[3], NAME + ": the backend should target the compose service on server.http_port");
        assertTrue(ComposeFile.load().serviceNames().contains("relaymesh"), "docker-compose.yml has no relaymesh service");

        String defaults = String.join(" ", backend().stream().filter(l -> l.startsWith("default-server ")).toList())
                + " " + servers.get(0);
        assertTrue(defaults.contains("init-addr none"), NAME + ": without init-addr none HAProxy refuses to start"
                + " while no replica resolves yet");
        assertTrue(defaults.matches(".*\\bresolvers docker\\b.*"), NAME + ": the servers should use the docker resolvers");
        assertTrue(LB.section("resolvers docker").contains("nameserver dns1 127.0.0.11:53"),
                NAME + ": resolvers docker should ask Docker's embedded DNS (127.0.0.11:53)");
    }

    @Test
    void backend_sendsConnectionsOnlyToReadyReplicas() {
        assertTrue(backend().contains("option httpchk"), NAME + ": the backend should check replicas over HTTP");
        String send = backend().stream().filter(l -> l.startsWith("http-check send ")).findFirst()
                .orElseGet(() -> fail(NAME + ": no 'http-check send': HAProxy would check with HTTP/1.0, which the"
                        + " server answers with 505, so every replica would be down"));
        assertTrue(send.matches(".*\\bmeth GET\\b.*") && send.matches(".*\\buri /ready\\b.*"),
                NAME + ": the health check should GET /ready: " + send);
        assertTrue(send.matches(".*\\bver HTTP/1\\.1\\b.*") && send.matches(".*\\bhdr Host \\S+.*"),
                NAME + ": the health check should be HTTP/1.1 with a Host header: " + send);
        assertTrue(backend().contains("http-check expect status 200"), NAME + ": the health check should expect 200");
        assertTrue(String.join(" ", backend()).matches(".*\\bcheck\\b.*"), NAME + ": servers should be checked");
    }

    @Test
    void haproxy_acceptsTheFile_whenInstalled() throws Exception {
        boolean installed = System.getenv("PATH") != null && Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "haproxy")));
        if (System.getenv("CI") != null) {
            // CI installs haproxy (.ci/run): there, a missing binary is a failure, never a skip.
            assertTrue(installed, "haproxy is not installed; .ci/run should have installed it");
        }
        Assumptions.assumeTrue(installed, "haproxy is not installed (apt-get install -y haproxy); the file was only parsed");
        Process check = new ProcessBuilder("haproxy", "-c", "-f", HaproxyConfig.FILE.toString())
                .redirectErrorStream(true).start();
        assertTrue(check.waitFor(20, TimeUnit.SECONDS), "haproxy -c did not finish");
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.exitValue(), "haproxy -c -f " + NAME + ":\n" + output);
    }
}
