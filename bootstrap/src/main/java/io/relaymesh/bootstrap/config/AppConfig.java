package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Behaviour of sessions, routes and connections.
 *
 * @param sessionTtl lifetime of a session lock between refreshes
 * @param routeTtl lifetime of a route registration between refreshes
 * @param ttlRefreshInterval how often locks and routes are refreshed (shorter than both TTLs)
 * @param websocketMessageBufferSize frames a slow client may keep queued (beyond them, a client whose
 *        socket stopped draining is slow)
 * @param websocketBackpressureDropPolicy what is done to a slow client
 * @param websocketBlockTimeout how long {@link DropPolicy#BLOCK} waits for a slow client to catch up
 * @param pingInterval how often the server pings each WebSocket
 * @param pongWait how long a silent connection lives (longer than {@code pingInterval})
 * @param clientMaxMessagesPerSecond sustained rate of frames a client may send
 * @param clientMessageBurst frames a client may send at once above that rate
 * @param sessionTakeoverTimeout how long a new connection waits for the old one to let go
 * @param logLevel least severe level logged
 * @param logFormat how log lines are written (text, JSON, or chosen by whether a terminal is attached)
 * @param websocketStallTimeout how long a socket may take no data while frames wait before its client
 *        counts as not draining
 * @param websocketMaxBacklogBytes backlog in bytes beyond which a client over the buffer size is slow
 *        even while it reads
 * @param websocketHardBacklogBytes backlog in bytes past which a client is closed under either policy
 * @param resumeHistoryEvents standalone: events kept in memory for clients that resume (0 = none)
 * @param resumeMaxEvents the most missed events one resume replays; more is a gap ({@code recovered:false})
 */
public record AppConfig(
        Duration sessionTtl,
        Duration routeTtl,
        Duration ttlRefreshInterval,
        int websocketMessageBufferSize,
        DropPolicy websocketBackpressureDropPolicy,
        Duration websocketBlockTimeout,
        Duration pingInterval,
        Duration pongWait,
        int clientMaxMessagesPerSecond,
        int clientMessageBurst,
        Duration sessionTakeoverTimeout,
        LogLevel logLevel,
        LogFormat logFormat,
        Duration websocketStallTimeout,
        int websocketMaxBacklogBytes,
        int websocketHardBacklogBytes,
        int resumeHistoryEvents,
        int resumeMaxEvents) {

    public AppConfig {
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(routeTtl, "routeTtl");
        Objects.requireNonNull(ttlRefreshInterval, "ttlRefreshInterval");
        Objects.requireNonNull(websocketBackpressureDropPolicy, "websocketBackpressureDropPolicy");
        Objects.requireNonNull(websocketBlockTimeout, "websocketBlockTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pongWait, "pongWait");
        Objects.requireNonNull(sessionTakeoverTimeout, "sessionTakeoverTimeout");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(websocketStallTimeout, "websocketStallTimeout");
    }

    /** These settings with the resume sizes of {@code running} (they need a restart; a reload keeps them). */
    public AppConfig withResumeOf(AppConfig running) {
        return new AppConfig(sessionTtl, routeTtl, ttlRefreshInterval, websocketMessageBufferSize,
                websocketBackpressureDropPolicy, websocketBlockTimeout, pingInterval, pongWait,
                clientMaxMessagesPerSecond, clientMessageBurst, sessionTakeoverTimeout, logLevel, logFormat,
                websocketStallTimeout, websocketMaxBacklogBytes, websocketHardBacklogBytes,
                running.resumeHistoryEvents, running.resumeMaxEvents);
    }
}
