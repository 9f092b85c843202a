package io.relaymesh.domain.error;

/**
 * The error codes of the wire protocol with their WebSocket close codes. A failed connection gets
 * an error frame with the code, then a close with {@link #closeCode()}.
 */
public enum ErrorCode {
    InvalidAPIKey(4401),
    InvalidToken(4403),
    SessionConflict(4402),
    RateLimitExceeded(4429),
    BadRequest(4400),
    SubscriptionFailure(1011),
    InternalServerError(1011),
    /** The pod holds as many connections as it may (open-file limit); try another pod or later. */
    ServerFull(1013),
    /** The client read too slowly for the {@code block} back-pressure policy. */
    SlowConsumer(1008),
    /** An administrator closed this session (admin API kick); the client may reconnect. */
    SessionKicked(4409),
    /**
     * {@code select_chat} named a chat outside the token's {@code allowed_chat_ids}. Sent as an
     * error frame only; the connection stays open, so the close code is never used.
     */
    ChatNotAllowed(4403);

    private final int closeCode;

    ErrorCode(int closeCode) {
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
