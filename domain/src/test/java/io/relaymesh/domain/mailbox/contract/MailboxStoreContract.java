package io.relaymesh.domain.mailbox.contract;

import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link MailboxStore} must do; run against the in-memory, the on-disk and the Redis adapter. */
public abstract class MailboxStoreContract {
    protected static final long NOW = 1_800_000_000_000L;
    protected MailboxStore store;

    protected abstract MailboxStore createStore();

    @BeforeEach
    void open() {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static String wayfarer() {
        return "w-" + UUID.randomUUID();
    }

    protected static MailboxMessage message(String to, long expiresAtMillis) {
        return new MailboxMessage(UUID.randomUUID().toString(), "sender", to, "SGVsbG8=", NOW / 1000,
                expiresAtMillis);
    }

    @Test
    void storedMessages_arePendingForTheirRecipientOnly_oldestFirst() {
        String bob = wayfarer();
        MailboxMessage first = message(bob, NOW + 60_000);
        MailboxMessage second = message(bob, NOW + 60_000);
        MailboxMessage forCarol = message(wayfarer(), NOW + 60_000);
        assertTrue(store.store(first));
        assertTrue(store.store(second));
        assertTrue(store.store(forCarol));
        assertEquals(List.of(first, second), store.pending(bob, 10, NOW));
        assertEquals(List.of(first), store.pending(bob, 1, NOW));
        assertEquals(List.of(), store.pending(wayfarer(), 10, NOW));
    }

    @Test
    void storingTheSameIdTwice_keepsOneMessage() {
        String bob = wayfarer();
        MailboxMessage message = message(bob, NOW + 60_000);
        assertTrue(store.store(message));
        assertFalse(store.store(message));
        assertEquals(List.of(message), store.pending(bob, 10, NOW));
    }

    @Test
    void ack_removesOnlyTheRecipientsOwnMessage() {
        String bob = wayfarer();
        MailboxMessage message = message(bob, NOW + 60_000);
        store.store(message);
        assertEquals(MailboxStore.Ack.NOT_FOUND, store.ack(wayfarer(), message.id()), "someone else's");
        assertEquals(List.of(message), store.pending(bob, 10, NOW));
        assertEquals(MailboxStore.Ack.REMOVED, store.ack(bob, message.id()));
        assertEquals(MailboxStore.Ack.NOT_FOUND, store.ack(bob, message.id()), "acked already");
        assertEquals(List.of(), store.pending(bob, 10, NOW));
        assertEquals(MailboxStore.Ack.NOT_FOUND, store.ack(bob, UUID.randomUUID().toString()), "unknown");
    }

    @Test
    void expiredMessages_areNeverPending_andTheSweepRemovesAndCountsThem() {
        String bob = wayfarer();
        MailboxMessage expired = message(bob, NOW - 1);
        MailboxMessage live = message(bob, NOW + 60_000);
        store.store(expired);
        store.store(live);
        assertEquals(List.of(live), store.pending(bob, 10, NOW), "expired is not offered even before a sweep");
        assertEquals(1, store.sweep(NOW, 1000));
        assertEquals(0, store.sweep(NOW, 1000), "counted once");
        assertEquals(MailboxStore.Ack.NOT_FOUND, store.ack(bob, expired.id()));
        assertEquals(List.of(live), store.pending(bob, 10, NOW));
    }

    @Test
    void sweep_takesAtMostMaxPerCall() {
        String bob = wayfarer();
        for (int i = 0; i < 5; i++) {
            store.store(message(bob, NOW - 10 + i));
        }
        assertEquals(3, store.sweep(NOW, 3));
        assertEquals(2, store.sweep(NOW, 3));
        assertEquals(List.of(), store.pending(bob, 10, NOW));
    }

    @Test
    void aHealthyStore_hasNoProblem() {
        assertNull(store.problem());
    }
}
