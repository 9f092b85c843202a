package io.relaymesh.application.auth;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.ErrorCode;

/** Outcome of authenticating a connection: who it is, or why it is refused. */
public sealed interface AuthResult {
    record Authenticated(Principal principal) implements AuthResult {
    }

    /** Refused; {@code message} is safe to show to the client. */
    record Refused(ErrorCode code, String message) implements AuthResult {
    }
}
