package io.relaymesh.application.dialect.conversations;

import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Typing indicators: a start goes to every other connection of the conversation on every pod (the
 * envelope excludes the sending connection), and a stop follows {@code expiry} after the last
 * renewal, or at once when the connection leaves the conversation or closes. Thread-safe.
 */
final class Typing {
    private static final Logger LOG = Logger.getLogger(Typing.class.getName());

    private final DialectSessions sessions;
    private final ScheduledExecutorService timers;
    private final Executor work;
    private final Duration expiry;
    private final ConversationsMetrics metrics;
    private final Clock clock;
    /** Per connection: the conversations it is typing in, each with the timer of its stop. */
    private final ConcurrentHashMap<ConnectionId, Map<String, ScheduledFuture<?>>> active = new ConcurrentHashMap<>();

    Typing(DialectSessions sessions, ScheduledExecutorService timers, Executor work, Duration expiry,
           ConversationsMetrics metrics, Clock clock) {
        this.sessions = sessions;
        this.timers = timers;
        this.work = work;
        this.expiry = expiry;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** {@code user} typed in {@code conversation} on {@code session}: start (again), and stop after the expiry. */
    void typed(LocalSession session, ChatUser user, String conversation) {
        ConnectionId connection = session.connection().id();
        deliver(connection, user, conversation, "start");
        ScheduledFuture<?> stop = timers.schedule(() -> expire(connection, user, conversation), expiry.toMillis(),
                TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = active.computeIfAbsent(connection, c -> new ConcurrentHashMap<>())
                .put(conversation, stop);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** The connection left {@code conversation}: an indicator still on stops now. */
    void left(LocalSession session, ChatUser user, String conversation) {
        Map<String, ScheduledFuture<?>> typing = active.get(session.connection().id());
        ScheduledFuture<?> pending = typing == null ? null : typing.remove(conversation);
        if (pending != null) {
            pending.cancel(false);
            active.computeIfPresent(session.connection().id(), (c, left) -> left.isEmpty() ? null : left);
            work.execute(() -> deliver(session.connection().id(), user, conversation, "stop"));
        }
    }

    /** The connection closed: every indicator still on stops now. */
    void closed(LocalSession session, ChatUser user) {
        Map<String, ScheduledFuture<?>> typing = active.remove(session.connection().id());
        if (typing != null) {
            for (String conversation : List.copyOf(typing.keySet())) {
                ScheduledFuture<?> pending = typing.remove(conversation);
                if (pending != null) {
                    pending.cancel(false);
                    work.execute(() -> deliver(session.connection().id(), user, conversation, "stop"));
                }
            }
        }
    }

    private void expire(ConnectionId connection, ChatUser user, String conversation) {
        Map<String, ScheduledFuture<?>> typing = active.get(connection);
        ScheduledFuture<?> current = typing == null ? null : typing.get(conversation);
        // A renewal put a later timer in place: only the timer that is due now ends the indicator.
        if (current != null && current.getDelay(TimeUnit.NANOSECONDS) <= 0 && typing.remove(conversation, current)) {
            active.computeIfPresent(connection, (c, left) -> left.isEmpty() ? null : left);
            work.execute(() -> deliver(connection, user, conversation, "stop"));
        }
    }

    private void deliver(ConnectionId sender, ChatUser user, String conversation, String state) {
        metrics.typing(state);
        Envelope envelope = new Envelope(UUID.randomUUID().toString(), List.of(ConversationKeys.conversation(conversation)),
                new byte[0], Map.of(ConversationKeys.KIND, ConversationKeys.KIND_TYPING, ConversationKeys.STATE, state,
                ConversationKeys.CONVERSATION_ID, conversation, ConversationKeys.USER_ID, user.userId()),
                clock.millis(), sender);
        sessions.deliver(envelope).whenComplete((missed, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, "typing in conversation " + conversation + " not delivered", error);
            }
        });
    }
}
