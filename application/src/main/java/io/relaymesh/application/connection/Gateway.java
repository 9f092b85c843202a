package io.relaymesh.application.connection;

import io.relaymesh.application.auth.AuthResult;
import io.relaymesh.application.auth.Authenticator;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.application.settings.GatewaySettings;
import io.relaymesh.domain.model.Names;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.SessionOwner;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.EventHistory;
import io.relaymesh.domain.port.SessionLocks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connection lifecycle use cases: authenticate, open (take the session, join routes, say
 * ready), handle client messages, close (leave routes, release the session) and the periodic
 * refresh of locks and routes. The web adapter calls these; they never block on a socket.
 * Thread-safe.
 */
public final class Gateway {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    /** Outcome of opening an authenticated connection. */
    public sealed interface Opening {
        record Opened(LocalSession session) implements Opening {
        }

        record Refused(ErrorCode code, String message) implements Opening {
        }
    }

    /** What the web adapter should do after a client message. */
    public sealed interface Handled {
        record Ok() implements Handled {
        }

        /** Reply with an error frame; {@code fatal} closes the connection after it. */
        record Failed(ErrorCode code, String message, boolean fatal) implements Handled {
        }
    }

    private final Authenticator authenticator;
    private final SessionManager sessions;
    private final SessionLocks locks;
    private final ConnectionHub hub;
    private final Clock clock;
    private final Supplier<GatewaySettings> settings;
    private final GatewayMetrics metrics;
    private final EventHistory history;
    private final int resumeMaxEvents;

    public Gateway(Authenticator authenticator, SessionManager sessions, SessionLocks locks, ConnectionHub hub,
                   Clock clock, Supplier<GatewaySettings> settings, GatewayMetrics metrics) {
        this(authenticator, sessions, locks, hub, clock, settings, metrics, EventHistory.NONE, 0);
    }

    /**
     * @param history         what was published recently, for clients that resume ({@code since})
     * @param resumeMaxEvents the most events one resume replays; more is a gap (the app reloads)
     */
    public Gateway(Authenticator authenticator, SessionManager sessions, SessionLocks locks, ConnectionHub hub,
                   Clock clock, Supplier<GatewaySettings> settings, GatewayMetrics metrics, EventHistory history,
                   int resumeMaxEvents) {
        this.history = history;
        this.resumeMaxEvents = resumeMaxEvents;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.locks = locks;
        this.hub = hub;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    public AuthResult authenticateUser(String apiKey, String token, String company, String agent) {
        return authenticator.authenticateUser(apiKey, token, company, agent);
    }

    public AuthResult authenticateAdmin(String apiKey, String token) {
        return authenticator.authenticateAdmin(apiKey, token);
    }

    /** Takes the session for {@code principal}, joins its base route and queues {@code ready}. */
    public Opening open(Principal principal, ClientConnection connection) {
        return open(principal, connection, java.util.List.of(principal.baseRoute()), true);
    }

    /**
     * Takes the session for {@code principal} (when it is exclusive), joins {@code routes} and,
     * when {@code sayReady}, queues the primary protocol's {@code ready}; a dialect that says
     * something else sends it itself once this returns.
     */
    public Opening open(Principal principal, ClientConnection connection, java.util.List<RouteKey> routes,
                        boolean sayReady) {
        return open(principal, connection, routes, sayReady, null);
    }

    /**
     * {@link #open(Principal, ClientConnection, java.util.List, boolean)} for a client resuming from
     * {@code since} (a position; null: not resuming): after joining, what it missed on {@code routes}
     * is queued right after {@code ready} (which then says whether it is all there) and before any
     * live event; an event both missed and live is queued once.
     */
    public Opening open(Principal principal, ClientConnection connection, java.util.List<RouteKey> routes,
                        boolean sayReady, String since) {
        return open(principal, connection, routes, sayReady, since, ServerMessage.Ready::new);
    }

    /**
     * As above, with the frame that says whether the resume recovered everything made by
     * {@code readyFrame} (a dialect's own admission reply; the primary protocol's ready).
     */
    public Opening open(Principal principal, ClientConnection connection, java.util.List<RouteKey> routes,
                        boolean sayReady, String since,
                        java.util.function.Function<Boolean, ServerMessage> readyFrame) {
        GatewaySettings s = settings.get();
        LocalSession session = new LocalSession(connection, principal, hub.self(), clock.millis(),
                new FrameRateLimiter(s.messageBurst(), System.nanoTime()));
        SessionManager.Take take;
        try {
            take = principal.exclusive() ? sessions.take(principal.sessionKey(), session.owner())
                    : new SessionManager.Take.Taken();
        } catch (RuntimeException e) {
            metrics.stateError("session_lock");
            LOG.log(Level.WARNING, "session_key=" + principal.sessionKey() + " could not be taken", e);
            return new Opening.Refused(ErrorCode.InternalServerError,
                    "the session store is unavailable; try again shortly");
        }
        if (take instanceof SessionManager.Take.Refused refused) {
            return new Opening.Refused(refused.code(), refused.message());
        }
        try {
            if (since != null) {
                connection.beginReplay();
            }
            hub.add(session);
            // Join (locally and in the registry) before saying ready: an event published once the
            // client has seen ready must reach it. The connection writes ready before any event
            // queued in between (ClientConnection#offer).
            for (RouteKey route : routes) {
                if (hub.join(session, route)) {
                    metrics.routeRegistered();
                }
            }
            if (since != null) {
                // Joined first, then read back: an event is missed-and-read, or live, or both (then once).
                EventHistory.Replay replay = replayOf(principal, routes, since);
                connection.offer(readyFrame.apply(replay instanceof EventHistory.Replay.Recovered));
                connection.endReplay(frames(replay));
            } else if (sayReady) {
                connection.offer(new ServerMessage.Ready());
            }
        } catch (RuntimeException e) {
            metrics.stateError("route_register");
            LOG.log(Level.WARNING, "session_key=" + principal.sessionKey() + " route registration failed", e);
            closed(session);
            return new Opening.Refused(ErrorCode.InternalServerError,
                    "the route registry is unavailable; try again shortly");
        }
        metrics.connectionOpened(principal.kind());
        return new Opening.Opened(session);
    }

    /** Handles one client message; rate limiting first. */
    public Handled handle(LocalSession session, ClientMessage message) {
        metrics.messageReceived();
        session.touch();
        GatewaySettings s = settings.get();
        if (!session.rateLimiter().tryAcquire(s.messagesPerSecond(), s.messageBurst(), System.nanoTime())) {
            return new Handled.Failed(ErrorCode.RateLimitExceeded, "more than " + s.messagesPerSecond()
                    + " messages per second (burst " + s.messageBurst() + ")", true);
        }
        return switch (message) {
            case ClientMessage.Ping ping -> {
                session.connection().offer(new ServerMessage.Pong());
                yield new Handled.Ok();
            }
            case ClientMessage.SelectChat select -> selectChat(session, select.chatId(), select.since());
        };
    }

    /** What {@code principal} missed on {@code routes} since {@code since}; a failure to read is a gap. */
    private EventHistory.Replay replayOf(Principal principal, java.util.List<RouteKey> routes, String since) {
        EventHistory.Replay replay;
        try {
            replay = history.after(routes, since, resumeMaxEvents);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session_key=" + principal.sessionKey() + " could not be resumed from " + since, e);
            return new EventHistory.Replay.Gap("the event history could not be read");
        }
        if (replay instanceof EventHistory.Replay.Recovered recovered) {
            metrics.resumed(true, recovered.events().size());
            java.util.List<io.relaymesh.domain.model.Envelope> mine = recovered.events().stream()
                    .filter(principal::mayReceive).toList();
            return new EventHistory.Replay.Recovered(mine);
        }
        metrics.resumed(false, 0);
        LOG.fine(() -> "session_key=" + principal.sessionKey() + " resumes with a gap: "
                + ((EventHistory.Replay.Gap) replay).reason());
        return replay;
    }

    /** What a resume gives: whether every missed event is there, and the frames of those it may have. */
    public record Replayed(boolean recovered, java.util.List<ServerMessage.EventFrame> frames) {
        public Replayed {
            frames = java.util.List.copyOf(frames);
        }
    }

    /** What {@code principal} missed on {@code keys} after {@code since}, as frames to queue (a gap: none). */
    public Replayed replay(Principal principal, java.util.List<RouteKey> keys, String since) {
        EventHistory.Replay replay = replayOf(principal, keys, since);
        return new Replayed(replay instanceof EventHistory.Replay.Recovered, frames(replay));
    }

    private static java.util.List<ServerMessage.EventFrame> frames(EventHistory.Replay replay) {
        return replay instanceof EventHistory.Replay.Recovered recovered
                ? recovered.events().stream().map(ServerMessage.EventFrame::new).toList() : java.util.List.of();
    }

    /** Counts a frame that was refused before parsing (e.g. too large) against the rate limit too. */
    public boolean allowFrame(LocalSession session) {
        GatewaySettings s = settings.get();
        return session.rateLimiter().tryAcquire(s.messagesPerSecond(), s.messageBurst(), System.nanoTime());
    }

    private Handled selectChat(LocalSession session, String chatId, String since) {
        if (!(session.principal() instanceof Principal.User user)) {
            return new Handled.Failed(ErrorCode.BadRequest, "select_chat is only for user connections", false);
        }
        String problem = Names.problemWith(chatId);
        if (problem != null) {
            return new Handled.Failed(ErrorCode.BadRequest, "payload.chat_id " + problem, false);
        }
        if (!user.claims().allowsChat(chatId)) {
            // The selection stays as it was: a refused chat neither joins nor drops a route.
            return new Handled.Failed(ErrorCode.ChatNotAllowed, "chat " + chatId
                    + " is not among the chats this token allows (allowed_chat_ids)", false);
        }
        RouteKey chat = RouteKey.chat(user.claims().companyId(), user.claims().agentId(), chatId);
        if (since != null) {
            session.connection().beginReplay();
        }
        try {
            if (hub.join(session, chat)) {
                metrics.routeRegistered();
            }
            if (since != null) {
                EventHistory.Replay replay = replayOf(user, java.util.List.of(chat), since);
                session.connection().offer(new ServerMessage.ChatSelected(chatId,
                        replay instanceof EventHistory.Replay.Recovered));
                session.connection().endReplay(frames(replay));
            }
            RouteKey previous = session.selectChat(chat);
            if (previous != null && !previous.equals(chat)) {
                hub.leave(session, previous);
            }
            if (session.isClosed()) {
                // Closed while we joined: undo so the route does not outlive the connection.
                hub.leave(session, chat);
            }
        } catch (RuntimeException e) {
            if (since != null) {
                session.connection().endReplay(java.util.List.of());
            }
            metrics.stateError("route_register");
            LOG.log(Level.WARNING, "route_key=" + chat + " could not be registered", e);
            return new Handled.Failed(ErrorCode.SubscriptionFailure, "could not subscribe to chat " + chatId, false);
        }
        return new Handled.Ok();
    }

    /**
     * Cleans up after a connection ended, however it ended (close frame, failed send, missed pong,
     * takeover). Idempotent.
     */
    public void closed(LocalSession session) {
        if (!session.markClosed()) {
            return;
        }
        Principal principal = session.principal();
        try {
            hub.remove(session);
            for (RouteKey key : session.joined()) {
                hub.leave(session, key);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session_key=" + principal.sessionKey()
                    + " routes could not be removed; they will expire", e);
        }
        if (principal.exclusive()) {
            sessions.release(principal.sessionKey(), session.owner());
        }
        metrics.connectionClosed(principal.kind(), clock.millis() - session.openedAtMillis());
    }

    /**
     * Periodic maintenance: refreshes every local lock and route in one batch each, closes sessions
     * whose lock was lost or whose token expired.
     */
    public void refresh() {
        GatewaySettings s = settings.get();
        Map<Duration, Map<SessionKey, SessionOwner>> heldByTtl = new HashMap<>();
        long now = System.nanoTime();
        for (LocalSession session : hub.sessions()) {
            if (session.isClosed()) {
                continue;
            }
            if (authenticator.isExpired(session.principal().expiresAt())) {
                LOG.info(() -> "session_key=" + session.principal().sessionKey() + " token expired; closing");
                session.connection().fail(ErrorCode.InvalidToken, "token expired at " + session.principal().expiresAt());
                closed(session);
                continue;
            }
            if (!session.principal().exclusive()) {
                continue; // no lock to refresh
            }
            Duration ttl = s.sessionAdaptive().ttl(s.sessionTtl(), session.lastActiveNanos(), now);
            heldByTtl.computeIfAbsent(ttl, t -> new HashMap<>())
                    .put(session.principal().sessionKey(), session.owner());
        }
        try {
            // One round trip per distinct TTL: one batch, or two with adaptive TTL (active, idle).
            for (Map.Entry<Duration, Map<SessionKey, SessionOwner>> batch : heldByTtl.entrySet()) {
                Map<SessionKey, SessionOwner> held = batch.getValue();
                Set<SessionKey> lost = locks.refreshAll(held, batch.getKey());
                for (SessionKey key : lost) {
                    // Only the owner that lost the lock: a newer local connection may hold the key by now.
                    hub.bySessionKey(key).filter(session -> session.owner().equals(held.get(key)))
                            .ifPresent(session -> relock(session, s));
                }
            }
        } catch (RuntimeException e) {
            metrics.stateError("session_refresh");
            LOG.log(Level.WARNING, "session lock refresh failed; will retry next tick", e);
        }
        if (!hub.refreshRoutes()) {
            metrics.stateError("route_refresh");
        }
        metrics.refreshDuration((System.nanoTime() - now) / 1_000_000);
    }

    /**
     * A lock this pod no longer holds: if it merely lapsed (Redis restarted or was unreachable for
     * longer than the TTL) it is taken again; if another connection holds it, this one lost.
     */
    private void relock(LocalSession session, GatewaySettings s) {
        SessionKey key = session.principal().sessionKey();
        switch (locks.acquire(key, session.owner(), s.initialSessionTtl())) {
            case SessionLocks.Acquisition.Acquired acquired ->
                    LOG.info(() -> "session_key=" + key + " lock had lapsed; taken again");
            case SessionLocks.Acquisition.HeldBy held when held.owner().equals(session.owner()) -> {
            }
            case SessionLocks.Acquisition.HeldBy held -> {
                LOG.warning(() -> "session_key=" + key + " lock lost to " + held.owner().encode() + "; closing");
                session.connection().fail(ErrorCode.SessionConflict,
                        "this session was taken over by another connection");
                closed(session);
            }
        }
    }

    public int connections() {
        return hub.size();
    }
}
