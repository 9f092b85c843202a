package io.relaymesh.domain.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteKeyTest {

    @Test
    void anyNamespaceWithValidSegments_isAKey() {
        RouteKey key = RouteKey.of("room", "lobby", "east");
        assertEquals("room:lobby:east", key.value());
        assertEquals("room", key.namespace());
        assertEquals(List.of("lobby", "east"), key.segments());
        assertEquals("admin:*:a1", RouteKey.admin("", "a1").value());
    }

    @Test
    void keysWithoutSegmentsOrWithBadNamespacesOrSegments_areRefused() {
        for (String bad : new String[] {"agent", "Agent:c1", "1x:c1", ":c1", "topic:", "topic:a b", "topic:a\nb",
                "topic:a.b", "x".repeat(40) + ":a"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RouteKey(bad), bad);
            assertTrue(e.getMessage().startsWith("route key "), e.getMessage());
        }
    }
}
