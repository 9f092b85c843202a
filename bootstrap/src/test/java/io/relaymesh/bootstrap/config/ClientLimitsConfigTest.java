package io.relaymesh.bootstrap.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientLimitsConfigTest {
    @Test
    void defaults_boundEveryClient() {
        ClientLimitsConfig limits = ((LoadResult.Loaded) ConfigLoader.load(Optional.empty(), Map.of())).config()
                .server().clientLimits();
        assertEquals(Duration.ofSeconds(10), limits.requestHeaderTimeout());
        assertEquals(256, limits.maxConnectionsPerIp());
        assertEquals(20, limits.upgradesPerIpPerSecond());
        assertEquals(1000, limits.requestsPerIpPerSecond());
        assertEquals("", limits.trustedProxies());
    }

    @Test
    void aTrustedProxyThatIsNotAnAddress_isRejected_namingTheEntry() {
        LoadResult result = ConfigLoader.load(Optional.empty(),
                Map.of("RELAYMESH_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, haproxy"));
        String problems = String.join("\n", assertInstanceOf(LoadResult.Rejected.class, result).problems());
        assertTrue(problems.contains("server.trusted_proxies") && problems.contains("haproxy"), problems);
    }

    @Test
    void aZeroHeaderTimeout_isRejected() {
        LoadResult result = ConfigLoader.load(Optional.empty(),
                Map.of("RELAYMESH_SERVER_REQUEST_HEADER_TIMEOUT_SECONDS", "0"));
        assertInstanceOf(LoadResult.Rejected.class, result);
    }
}
