package io.relaymesh.adapters.web.limits;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    @Test
    void withNoTrustedProxies_forwardedForIsIgnored() {
        assertEquals("10.0.0.5", TrustedProxies.none().clientIp("10.0.0.5", List.of("1.2.3.4")));
    }

    @Test
    void anUntrustedPeer_isTheClientWhateverItForwards() {
        TrustedProxies proxies = TrustedProxies.parse("172.16.0.0/12");
        assertEquals("10.0.0.5", proxies.clientIp("10.0.0.5", List.of("1.2.3.4")));
    }

    @Test
    void behindATrustedProxy_theRightMostUntrustedHopIsTheClient() {
        TrustedProxies proxies = TrustedProxies.parse("172.16.0.0/12, 127.0.0.1");
        assertEquals("198.51.100.1", proxies.clientIp("172.18.0.2", List.of("203.0.113.9, 198.51.100.1")));
        assertEquals("198.51.100.1", proxies.clientIp("172.18.0.2", List.of("203.0.113.9", "198.51.100.1, 172.18.0.3")));
    }

    @Test
    void garbageInForwardedFor_stopsTheWalk_atTheLastGoodHop() {
        TrustedProxies proxies = TrustedProxies.parse("127.0.0.1");
        assertEquals("127.0.0.1", proxies.clientIp("127.0.0.1", List.of("evil.example")));
        assertEquals("198.51.100.1", proxies.clientIp("127.0.0.1", List.of("evil, 198.51.100.1")));
    }

    @Test
    void ipv6BlocksMatch_andHostNamesAreRefused() {
        TrustedProxies proxies = TrustedProxies.parse("fd00::/8");
        assertTrue(proxies.trusts("fd12::1"));
        assertFalse(proxies.trusts("fe80::1"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.internal"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
    }
}
