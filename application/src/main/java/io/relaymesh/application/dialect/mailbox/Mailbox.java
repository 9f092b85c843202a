package io.relaymesh.application.dialect.mailbox;

import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.domain.mailbox.MailboxMessage;
import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.IdGenerator;
import io.relaymesh.domain.port.JwtVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Messages between wayfarers that wait, durably and with a time to live, until their recipient
 * acks them: a send is stored first, then pushed through the core's delivery to every connection
 * of the recipient on any pod (route key {@code wayfarer:{id}}); what was pushed but not acked is
 * offered again on the next pull or connection (at-least-once), and never once expired. Inputs
 * are validated by the codec; this class decides and stores. Thread-safe.
 */
public final class Mailbox {
    private static final Logger LOG = Logger.getLogger(Mailbox.class.getName());
    /** The route key namespace of a wayfarer's connections. */
    public static final String NAMESPACE = "wayfarer";
    /** Envelope attributes a push carries besides its id and payload. */
    public static final String FROM = "from";
    public static final String AT = "at";

    private final MailboxStore store;
    private final Delivery delivery;
    private final Clock clock;
    private final IdGenerator ids;
    private final Supplier<MailboxSettings> settings;
    private final Supplier<JwtVerifier> jwt;
    private final MailboxMetrics metrics;
    private final AtomicInteger connections = new AtomicInteger();

    public Mailbox(MailboxStore store, Delivery delivery, Clock clock, IdGenerator ids,
                   Supplier<MailboxSettings> settings, Supplier<JwtVerifier> jwt, MailboxMetrics metrics) {
        this.store = store;
        this.delivery = delivery;
        this.clock = clock;
        this.ids = ids;
        this.settings = settings;
        this.jwt = jwt;
        this.metrics = metrics;
    }

    public static RouteKey route(String wayfarerId) {
        return RouteKey.of(NAMESPACE, wayfarerId);
    }

    public MailboxSettings settings() {
        return settings.get();
    }

    /** Whether a {@code hello} may be let in. */
    public sealed interface Hello {
        record Welcome(MailboxPrincipal principal) implements Hello {
        }

        record Refused(String reason) implements Hello {
        }
    }

    /**
     * Checks a {@code hello}: without a token only when none is required; with one, it must verify
     * and its subject ({@code sub}, or {@code user_id}) must be the wayfarer id.
     */
    public Hello hello(String wayfarerId, String token) {
        if (token == null) {
            return settings.get().requireToken()
                    ? new Hello.Refused("token is required: hello must carry a JWT whose sub is the wayfarer_id")
                    : new Hello.Welcome(new MailboxPrincipal(wayfarerId, Instant.MAX));
        }
        return switch (jwt.get().verify(token)) {
            case JwtVerifier.Verified.Invalid invalid -> new Hello.Refused("token refused: " + invalid.message());
            case JwtVerifier.Verified.Valid valid -> {
                String subject = valid.claims().text("sub").or(() -> valid.claims().text("user_id")).orElse("");
                yield subject.equals(wayfarerId)
                        ? new Hello.Welcome(new MailboxPrincipal(wayfarerId, valid.claims().validUntil()))
                        : new Hello.Refused("token refused: its subject is not the wayfarer_id");
            }
        };
    }

    /** The outcome of a send. */
    public sealed interface Sent {
        record Stored(MailboxMessage message) implements Sent {
        }

        record Unavailable(String reason) implements Sent {
        }
    }

    /**
     * Stores a message (TTL capped; zero or less means the longest allowed), then pushes it to the
     * recipient's connections wherever they are.
     */
    public Sent send(String from, String to, long ttlSeconds, String payloadB64) {
        metrics.received();
        MailboxMessage message = message(ids.next(), from, to, ttlSeconds, payloadB64);
        try {
            store.store(message);
        } catch (RuntimeException e) {
            metrics.storeError();
            LOG.log(Level.WARNING, "mailbox: a message for " + to + " could not be stored", e);
            return new Sent.Unavailable("the message store is unavailable; the message was not stored, send it again");
        }
        metrics.persisted();
        push(message);
        return new Sent.Stored(message);
    }

    /**
     * A message a backend sent (HTTP publish or JetStream): stored under an id derived from the
     * event's, so a redelivered event is stored once; returns the envelope to push.
     *
     * @throws RuntimeException when the store is unavailable (the event is retried)
     */
    public Envelope take(String eventId, String from, String to, long ttlSeconds, String payloadB64) {
        metrics.received();
        String id = UUID.nameUUIDFromBytes(("mailbox:" + eventId).getBytes(StandardCharsets.UTF_8)).toString();
        MailboxMessage message = message(id, from, to, ttlSeconds, payloadB64);
        try {
            if (store.store(message)) {
                metrics.persisted();
            }
        } catch (RuntimeException e) {
            metrics.storeError();
            throw e;
        }
        return envelopeOf(message);
    }

    private MailboxMessage message(String id, String from, String to, long ttlSeconds, String payloadB64) {
        long max = settings.get().maxTtlSeconds();
        long ttl = ttlSeconds <= 0 ? max : Math.min(ttlSeconds, max);
        long now = clock.millis();
        return new MailboxMessage(id, from, to, payloadB64, now / 1000, now + ttl * 1000);
    }

    private void push(MailboxMessage message) {
        // The message is stored: a push that fails now is offered again on pull or reconnect.
        delivery.deliver(envelopeOf(message)).whenComplete((missed, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, "mailbox: push of " + message.id() + " failed; it waits for a pull", error);
            }
        });
    }

    /** A stored message as the core delivers it: its payload is the base64 text, {@code from} and {@code at} attributes. */
    public static Envelope envelopeOf(MailboxMessage m) {
        return new Envelope(m.id(), List.of(route(m.to())), m.payloadB64().getBytes(StandardCharsets.US_ASCII),
                Map.of(FROM, m.from(), AT, Long.toString(m.atSeconds())), m.atSeconds() * 1000);
    }

    /** What a pull finds. */
    public sealed interface Listed {
        record Messages(List<MailboxMessage> messages) implements Listed {
        }

        record Unavailable(String reason) implements Listed {
        }
    }

    /** Up to {@code limit} (capped) unexpired, unacked messages of {@code wayfarerId}, oldest first. */
    public Listed pending(String wayfarerId, int limit) {
        int capped = Math.min(limit, settings.get().maxPullLimit());
        try {
            List<MailboxMessage> messages = store.pending(wayfarerId, capped, clock.millis());
            metrics.delivered(messages.size());
            return new Listed.Messages(messages);
        } catch (RuntimeException e) {
            metrics.storeError();
            LOG.log(Level.WARNING, "mailbox: the mailbox of " + wayfarerId + " could not be read", e);
            return new Listed.Unavailable("the message store is unavailable; pull again shortly");
        }
    }

    /** What an ack did. */
    public sealed interface Acked {
        record Removed() implements Acked {
        }

        /** Not in this wayfarer's mailbox: unknown, acked already, expired, or someone else's. */
        record NotFound() implements Acked {
        }

        record Unavailable(String reason) implements Acked {
        }
    }

    /** Removes message {@code id} from {@code wayfarerId}'s mailbox: only its recipient can. */
    public Acked ack(String wayfarerId, String id) {
        try {
            return store.ack(wayfarerId, id) == MailboxStore.Ack.REMOVED ? new Acked.Removed() : new Acked.NotFound();
        } catch (RuntimeException e) {
            metrics.storeError();
            LOG.log(Level.WARNING, "mailbox: ack of " + id + " failed", e);
            return new Acked.Unavailable("the message store is unavailable; ack again shortly");
        }
    }

    /** Removes every message expired by now, in batches; returns how many (also counted). Never throws. */
    public int sweep() {
        int batch = settings.get().sweepBatch();
        int total = 0;
        try {
            int removed;
            do {
                removed = store.sweep(clock.millis(), batch);
                total += removed;
                metrics.expired(removed);
            } while (removed == batch);
        } catch (RuntimeException e) {
            metrics.storeError();
            LOG.log(Level.WARNING, "mailbox: sweep failed after " + total + " expired messages; next interval retries", e);
        }
        return total;
    }

    /** A push reached a socket (counted once per message and pod). */
    public void delivered(int count) {
        metrics.delivered(count);
    }

    /** Why the store cannot serve now, or null. */
    public String storeProblem() {
        return store.problem();
    }

    public void opened() {
        connections.incrementAndGet();
    }

    public void closed() {
        connections.decrementAndGet();
    }

    /** Mailbox connections open on this pod. */
    public int connections() {
        return connections.get();
    }

    /** Closes the store (at shutdown). */
    public void close() {
        store.close();
    }
}
