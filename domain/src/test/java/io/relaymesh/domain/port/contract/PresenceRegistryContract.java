package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.port.PresenceRegistry;
import io.relaymesh.domain.port.PresenceRegistry.Entry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link PresenceRegistry} must do; run against the in-memory and the Redis adapter. */
public abstract class PresenceRegistryContract {
    private static final Duration EXPIRY = Duration.ofSeconds(90);
    private PresenceRegistry presence;
    private final Instant t0 = Instant.now();

    protected abstract PresenceRegistry createRegistry();

    @BeforeEach
    void setUp() {
        presence = createRegistry();
    }

    private static String user() {
        return "u-" + UUID.randomUUID();
    }

    private static Entry entry(String user, String connection, Instant lastBeat) {
        return new Entry(user, connection, lastBeat.plus(EXPIRY));
    }

    @Test
    void firstConnection_bringsTheUserOnline_andOnlyTheLastCloseTakesThemOffline() {
        String u = user();
        String group = "g-" + UUID.randomUUID();
        assertTrue(presence.connected(entry(u, "c1", t0), t0));
        assertFalse(presence.connected(entry(u, "c2", t0), t0), "already online");
        assertTrue(presence.joined(u, group));
        assertFalse(presence.joined(u, group), "the group heard it once this period");
        assertEquals(Map.of(u, true), presence.online(List.of(u), t0));
        assertEquals(Set.of(u), presence.onlineMembers(group, t0));

        assertNull(presence.disconnected(u, "c1", t0), "c2 is still open");
        assertEquals(Set.of(group), presence.disconnected(u, "c2", t0));
        assertNull(presence.disconnected(u, "c2", t0), "offline is reported once");
        assertEquals(Map.of(u, false), presence.online(List.of(u), t0));
        assertEquals(Set.of(), presence.onlineMembers(group, t0));
        assertTrue(presence.joined(u, group), "a new online period announces again");
    }

    @Test
    void entriesWithoutHeartbeat_lapse_andASweepReportsTheUserOnce() {
        String u = user();
        String group = "g-" + UUID.randomUUID();
        presence.connected(entry(u, "c1", t0), t0);
        presence.joined(u, group);
        Instant later = t0.plus(EXPIRY).plusSeconds(1);
        assertEquals(Map.of(u, false), presence.online(List.of(u), later));
        List<PresenceRegistry.Offline> swept = presence.sweep(later, 1000).stream()
                .filter(o -> o.user().equals(u)).toList();
        assertEquals(List.of(new PresenceRegistry.Offline(u, Set.of(group))), swept);
        assertTrue(presence.sweep(later, 1000).stream().noneMatch(o -> o.user().equals(u)), "reported once");
        assertNull(presence.disconnected(u, "c1", later), "the sweep already reported it");
    }

    @Test
    void renewedEntries_stayOnline_andALapsedOneComesBack() {
        String u = user();
        presence.connected(entry(u, "c1", t0), t0);
        Instant beat = t0.plus(EXPIRY).minusSeconds(1);
        assertEquals(Set.of(), presence.renewed(List.of(entry(u, "c1", beat)), beat));
        Instant past = t0.plus(EXPIRY).plusSeconds(10);
        assertTrue(presence.sweep(past, 1000).stream().noneMatch(o -> o.user().equals(u)), "renewed in time");
        assertEquals(Map.of(u, true), presence.online(List.of(u), past));

        Instant muchLater = beat.plus(EXPIRY).plusSeconds(5);
        assertEquals(Set.of(u), presence.renewed(List.of(entry(u, "c1", muchLater)), muchLater), "back online");
    }
}
