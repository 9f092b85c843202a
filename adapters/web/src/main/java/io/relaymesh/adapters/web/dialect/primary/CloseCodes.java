package io.relaymesh.adapters.web.dialect.primary;

import io.relaymesh.application.connection.ErrorCode;

/**
 * The WebSocket close code that follows each error of the primary protocol (seed 001, and
 * docs/protocol.md): a client reads the code to decide whether to reconnect.
 */
public final class CloseCodes {
    private CloseCodes() {
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case InvalidAPIKey -> 4401;
            case InvalidToken, ChatNotAllowed -> 4403;
            case SessionConflict -> 4402;
            case RateLimitExceeded -> 4429;
            case BadRequest -> 4400;
            case SubscriptionFailure, InternalServerError -> 1011;
            case ServerFull -> 1013;
            case SlowConsumer -> 1008;
            case SessionKicked -> 4409;
        };
    }
}
