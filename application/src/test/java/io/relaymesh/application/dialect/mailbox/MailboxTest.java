package io.relaymesh.application.dialect.mailbox;

import io.relaymesh.adapters.memory.InMemoryMailboxStore;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.JwtVerifier;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailboxTest {
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Envelope> delivered = new ArrayList<>();
    private final Counting metrics = new Counting();
    private final InMemoryMailboxStore memory = new InMemoryMailboxStore();
    private MailboxStore store = memory;
    private boolean requireToken;
    private JwtVerifier jwt = JwtVerifier.DISABLED;

    private Mailbox mailbox() {
        Delivery delivery = envelope -> {
            delivered.add(envelope);
            return CompletableFuture.completedFuture(Set.of());
        };
        return new Mailbox(store, delivery, () -> Instant.ofEpochMilli(now.get()),
                () -> "00000000-0000-0000-0000-" + String.format("%012d", ids.incrementAndGet()),
                () -> new MailboxSettings(3600, 1024, 50, 100, requireToken, 2), () -> jwt, metrics);
    }

    @Test
    void aSend_isStoredThenPushedToTheRecipientsRouteKey_withTheTtlCapped() {
        Mailbox mailbox = mailbox();
        var sent = assertInstanceOf(Mailbox.Sent.Stored.class, mailbox.send("alice", "bob", 999_999, "SGk="));
        MailboxMessage message = sent.message();
        assertEquals(now.get() + 3_600_000, message.expiresAtMillis(), "capped at max_ttl_seconds");
        assertEquals(List.of(message), memory.pending("bob", 10, now.get()));
        assertEquals(1, delivered.size());
        Envelope push = delivered.getFirst();
        assertEquals(List.of(new RouteKey("wayfarer:bob")), push.audience());
        assertEquals(message.id(), push.id());
        assertEquals("alice", push.attribute(Mailbox.FROM));
        assertEquals("SGk=", push.payloadText());
        assertEquals(1, metrics.received.get());
        assertEquals(1, metrics.persisted.get());
    }

    @Test
    void aZeroTtl_getsTheLongestAllowed() {
        var sent = (Mailbox.Sent.Stored) mailbox().send("alice", "bob", 0, "SGk=");
        assertEquals(now.get() + 3_600_000, sent.message().expiresAtMillis());
    }

    @Test
    void whenTheStoreFails_theSendIsRefused_nothingIsPushed_andTheErrorCounted() {
        store = failing();
        var refused = assertInstanceOf(Mailbox.Sent.Unavailable.class, mailbox().send("alice", "bob", 60, "SGk="));
        assertTrue(refused.reason().contains("not stored"));
        assertEquals(List.of(), delivered);
        assertEquals(1, metrics.storeErrors.get());
    }

    @Test
    void pending_isCappedAtTheMaximum_andCountsWhatItDelivers() {
        Mailbox mailbox = mailbox();
        for (int i = 0; i < 120; i++) {
            mailbox.send("alice", "bob", 60, "SGk=");
        }
        var listed = (Mailbox.Listed.Messages) mailbox.pending("bob", 1_000);
        assertEquals(100, listed.messages().size());
        assertEquals(100, metrics.delivered.get());
    }

    @Test
    void ack_byTheRecipientOnly() {
        Mailbox mailbox = mailbox();
        var sent = (Mailbox.Sent.Stored) mailbox.send("alice", "bob", 60, "SGk=");
        assertInstanceOf(Mailbox.Acked.NotFound.class, mailbox.ack("alice", sent.message().id()));
        assertInstanceOf(Mailbox.Acked.Removed.class, mailbox.ack("bob", sent.message().id()));
        assertInstanceOf(Mailbox.Acked.NotFound.class, mailbox.ack("bob", sent.message().id()));
    }

    @Test
    void sweep_removesEveryExpiredMessageInBatches_andCountsThem() {
        Mailbox mailbox = mailbox();
        for (int i = 0; i < 5; i++) {
            mailbox.send("alice", "bob", 1, "SGk=");
        }
        mailbox.send("alice", "bob", 60, "SGk=");
        now.addAndGet(1_000);
        assertEquals(5, mailbox.sweep(), "batches of 2 until none is left");
        assertEquals(5, metrics.expired.get());
        assertEquals(1, ((Mailbox.Listed.Messages) mailbox.pending("bob", 10)).messages().size());
    }

    @Test
    void aBackendsSend_isStoredOnce_underAnIdDerivedFromTheEvent() {
        Mailbox mailbox = mailbox();
        Envelope first = mailbox.take("evt-1", "billing", "bob", 60, "SGk=");
        Envelope again = mailbox.take("evt-1", "billing", "bob", 60, "SGk=");
        assertEquals(first.id(), again.id());
        assertEquals(1, memory.pending("bob", 10, now.get()).size());
        assertEquals(1, metrics.persisted.get());
        store = failing();
        assertThrows(PortUnavailableException.class, () -> mailbox().take("evt-2", "billing", "bob", 60, "SGk="));
    }

    @Test
    void hello_withoutAToken_isWelcomeOnlyWhenNoneIsRequired() {
        assertInstanceOf(Mailbox.Hello.Welcome.class, mailbox().hello("bob", null));
        requireToken = true;
        assertInstanceOf(Mailbox.Hello.Refused.class, mailbox().hello("bob", null));
    }

    @Test
    void hello_withAToken_needsItsSubjectToBeTheWayfarer() {
        Instant until = Instant.ofEpochMilli(now.get() + 60_000);
        jwt = new JwtVerifier() {
            public Verified verify(String token) {
                return token.equals("bad") ? new Verified.Invalid("signature", "signature does not verify")
                        : new Verified.Valid(new Claims(Map.of("sub", token, "exp", until), until));
            }

            public boolean enabled() {
                return true;
            }
        };
        requireToken = true;
        var welcome = assertInstanceOf(Mailbox.Hello.Welcome.class, mailbox().hello("bob", "bob"));
        assertEquals(until, welcome.principal().expiresAt());
        assertTrue(((Mailbox.Hello.Refused) mailbox().hello("bob", "carol")).reason().contains("subject"));
        assertTrue(((Mailbox.Hello.Refused) mailbox().hello("bob", "bad")).reason().contains("signature"));
    }

    @Test
    void connectionsOfOneWayfarer_areNotExclusive() {
        MailboxPrincipal principal = new MailboxPrincipal("bob", Instant.MAX);
        assertEquals(false, principal.exclusive());
        assertEquals(new RouteKey("wayfarer:bob"), principal.baseRoute());
    }

    private static MailboxStore failing() {
        return new MailboxStore() {
            public boolean store(MailboxMessage message) {
                throw new PortUnavailableException("mailbox_store", "down", null);
            }

            public List<MailboxMessage> pending(String recipient, int limit, long nowMillis) {
                throw new PortUnavailableException("mailbox_store", "down", null);
            }

            public Ack ack(String recipient, String id) {
                throw new PortUnavailableException("mailbox_store", "down", null);
            }

            public int sweep(long nowMillis, int max) {
                throw new PortUnavailableException("mailbox_store", "down", null);
            }

            public String problem() {
                return "down";
            }

            public void close() {
            }
        };
    }

    private static final class Counting implements MailboxMetrics {
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger persisted = new AtomicInteger();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
        final AtomicInteger storeErrors = new AtomicInteger();

        public void received() {
            received.incrementAndGet();
        }

        public void persisted() {
            persisted.incrementAndGet();
        }

        public void delivered(int count) {
            delivered.addAndGet(count);
        }

        public void expired(int count) {
            expired.addAndGet(count);
        }

        public void storeError() {
            storeErrors.incrementAndGet();
        }
    }
}
