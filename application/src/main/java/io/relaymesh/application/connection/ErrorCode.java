package io.relaymesh.application.connection;

/**
 * Why a use case refused or ended a connection of the primary protocol. The names are the error
 * codes its clients see; the WebSocket close code that goes with each is the web adapter's
 * business (adapters/web, {@code CloseCodes}), so nothing here knows a wire detail.
 */
public enum ErrorCode {
    InvalidAPIKey,
    InvalidToken,
    SessionConflict,
    RateLimitExceeded,
    BadRequest,
    SubscriptionFailure,
    InternalServerError,
    /** The pod holds as many connections as it may (open-file limit); try another pod or later. */
    ServerFull,
    /** The client stopped draining its socket (block policy, or a backlog past the hard byte limit). */
    SlowConsumer,
    /** An administrator closed this session (admin API kick); the client may reconnect. */
    SessionKicked,
    /**
     * {@code select_chat} named a chat outside the token's {@code allowed_chat_ids}. Sent as an
     * error frame only; the connection stays open.
     */
    ChatNotAllowed
}
