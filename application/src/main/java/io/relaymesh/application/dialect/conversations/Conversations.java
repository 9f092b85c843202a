package io.relaymesh.application.dialect.conversations;

import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.domain.model.ConnectionId;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The conversations use case, whatever the wire: joining and leaving conversations (as the token
 * allows), typing indicators that reach the other participants on every pod and end after
 * {@code typing_expiry}, presence as connections open, beat and close, idle sockets closed, and
 * events from Pub/Sub channels turned into envelopes. It learns of opened and closed connections
 * from the hub ({@link ConnectionHub.MembershipListener}: the user key is joined on open and left
 * on close). Thread-safe; blocking work runs on virtual threads or its own timer thread.
 */
public final class Conversations implements ConnectionHub.MembershipListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Conversations.class.getName());

    private final DialectSessions sessions;
    private final Presence presence;
    private final ConversationsSettings settings;
    private final ConversationsClients clients;
    private final ConversationsMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conversations-timers").factory());
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<ConnectionId, Tracked> tracked = new ConcurrentHashMap<>();
    private final Typing typing;

    /** One open connection of the dialect. */
    private final class Tracked {
        final LocalSession session;
        final ChatUser user;
        volatile long lastFrameNanos = System.nanoTime();
        volatile long renewedNanos = System.nanoTime();
        volatile boolean idleClosed;
        /** Presence calls of this connection run in order: its close never overtakes its open. */
        private CompletableFuture<Void> presenceChain = CompletableFuture.completedFuture(null);

        Tracked(LocalSession session, ChatUser user) {
            this.session = session;
            this.user = user;
        }

        synchronized void presence(String what, Runnable call) {
            presenceChain = presenceChain.thenRunAsync(call, work).exceptionally(e -> {
                LOG.log(Level.WARNING, "presence " + what + " of user_id=" + user.userId() + " failed", e);
                return null;
            });
        }
    }

    public Conversations(DialectSessions sessions, Presence presence, ConversationsSettings settings,
                         ConversationsClients clients, ConversationsMetrics metrics, Clock clock) {
        this.sessions = sessions;
        this.presence = presence;
        this.settings = settings;
        this.clients = clients;
        this.metrics = metrics;
        this.clock = clock;
        this.typing = new Typing(sessions, timers, work, settings.typingExpiry(), metrics, clock);
    }

    /** Starts the periodic checks: idle sockets, heartbeats to renew, lapsed presence. */
    public void start() {
        long tick = settings.tick().toMillis();
        timers.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- connections, as the hub reports them

    @Override
    public void joined(LocalSession session, RouteKey key) {
        if (session.principal() instanceof ChatUser user && key.equals(user.baseRoute())) {
            Tracked t = new Tracked(session, user);
            tracked.put(session.connection().id(), t);
            t.presence("connect", () -> presence.connected(user, session.connection().id()));
        }
    }

    @Override
    public void left(LocalSession session, RouteKey key) {
        if (!(session.principal() instanceof ChatUser user)) {
            return;
        }
        ConnectionId id = session.connection().id();
        if (key.equals(user.baseRoute())) {
            Tracked t = tracked.remove(id);
            typing.closed(session, user);
            if (t != null) {
                t.presence("disconnect", () -> presence.disconnected(user, id));
            }
        } else if (key.namespace().equals(ConversationKeys.CONVERSATION)) {
            typing.left(session, user, key.segments().getFirst());
        }
    }

    // ---- client requests

    /** Any client frame: the connection is alive (idle timer, presence heartbeat). */
    public void seen(LocalSession session) {
        Tracked t = tracked.get(session.connection().id());
        if (t != null) {
            t.lastFrameNanos = System.nanoTime();
        }
    }

    /** The outcome of a subscribe: the ids joined, and why the others were not. */
    public record Subscribed(List<String> joined, Map<String, String> refused) {
    }

    public Subscribed subscribe(LocalSession session, List<String> conversationIds) {
        ChatUser user = (ChatUser) session.principal();
        List<String> joined = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (String id : conversationIds) {
            String problem = Names.problemWith(id);
            if (problem != null) {
                refused.put(id, "conversation id " + problem);
            } else if (!user.mayJoin(id)) {
                refused.put(id, "the token does not allow conversation " + id);
            } else if (!sessions.join(session, ConversationKeys.conversation(id))) {
                refused.put(id, "the server could not register the subscription; try again");
            } else {
                joined.add(id);
                Tracked t = tracked.get(session.connection().id());
                if (t != null) {
                    t.presence("join", () -> presence.joined(user, id, session.connection().id()));
                }
            }
        }
        return new Subscribed(joined, refused);
    }

    /** Leaves the given conversations; returns those that were valid ids. */
    public List<String> unsubscribe(LocalSession session, List<String> conversationIds) {
        List<String> left = new ArrayList<>();
        for (String id : conversationIds) {
            if (Names.problemWith(id) == null) {
                sessions.leave(session, ConversationKeys.conversation(id));
                left.add(id);
            }
        }
        return left;
    }

    /**
     * The user is typing in {@code conversation}: the other participants (every connection but this
     * one, on every pod) hear it, and hear it stop after {@code typing_expiry} without renewal.
     *
     * @return null, or why it was refused
     */
    public String typing(LocalSession session, String conversation) {
        String problem = requireJoined(session, conversation);
        if (problem != null) {
            return problem;
        }
        if (session.isClosed()) {
            return "the connection is closing";
        }
        typing.typed(session, (ChatUser) session.principal(), conversation);
        return null;
    }

    /** The outcome of a presence query: the statuses, or why it was refused. */
    public record PresenceAnswer(Map<String, Boolean> online, String problem) {
    }

    public PresenceAnswer presence(LocalSession session, String conversation, List<String> users) {
        String problem = requireJoined(session, conversation);
        if (problem != null) {
            return new PresenceAnswer(Map.of(), problem);
        }
        for (String user : users) {
            String bad = Names.problemWith(user);
            if (bad != null) {
                return new PresenceAnswer(Map.of(), "user id " + bad);
            }
        }
        return new PresenceAnswer(presence.query(conversation, users), null);
    }

    /**
     * An event from a Pub/Sub channel ({@code ws:conv:{id}} or {@code ws:user:{id}}): {@code frame}
     * goes verbatim to that conversation's or user's connections on every pod.
     *
     * @return null, or why it was not delivered
     */
    public String ingest(String channel, String frame) {
        RouteKey key;
        String id;
        if (channel.startsWith("ws:conv:")) {
            id = channel.substring("ws:conv:".length());
            key = Names.problemWith(id) == null ? ConversationKeys.conversation(id) : null;
        } else if (channel.startsWith("ws:user:")) {
            id = channel.substring("ws:user:".length());
            key = Names.problemWith(id) == null ? ConversationKeys.user(id) : null;
        } else {
            return "channel is neither ws:conv:{id} nor ws:user:{id}";
        }
        if (key == null) {
            return "channel id " + Names.problemWith(id);
        }
        sessions.deliver(new Envelope(UUID.randomUUID().toString(), List.of(key),
                frame.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of(ConversationKeys.KIND, ConversationKeys.KIND_FRAME), clock.millis()));
        return null;
    }

    /** Connections of the dialect open on this pod. */
    public int connections() {
        return tracked.size();
    }

    // ---- internals

    private String requireJoined(LocalSession session, String conversation) {
        String problem = Names.problemWith(conversation);
        if (problem != null) {
            return "conversation_id " + problem;
        }
        if (!session.joined().contains(ConversationKeys.conversation(conversation))) {
            return "subscribe to conversation " + conversation + " first";
        }
        return null;
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            Instant wallNow = clock.now();
            long renewAfter = settings.presenceExpiry().toNanos() / 3;
            List<Presence.Heartbeat> beats = new ArrayList<>();
            List<Tracked> renewing = new ArrayList<>();
            for (Tracked t : tracked.values()) {
                long silent = now - t.lastFrameNanos;
                if (silent > settings.idleTimeout().toNanos() && !t.idleClosed) {
                    t.idleClosed = true;
                    metrics.idleClosed();
                    clients.closeIdle(t.session, Duration.ofNanos(silent));
                    continue;
                }
                if (t.lastFrameNanos > t.renewedNanos && now - t.renewedNanos >= renewAfter) {
                    List<String> conversations = new ArrayList<>();
                    for (RouteKey key : t.session.joined()) {
                        if (key.namespace().equals(ConversationKeys.CONVERSATION)) {
                            conversations.add(key.segments().getFirst());
                        }
                    }
                    beats.add(new Presence.Heartbeat(t.user, t.session.connection().id(),
                            wallNow.minusNanos(silent), conversations));
                    renewing.add(t);
                }
            }
            if (!beats.isEmpty()) {
                presence.renew(beats);
                renewing.forEach(t -> t.renewedNanos = now);
            }
            presence.sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "conversations tick failed; retrying next tick", e);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
