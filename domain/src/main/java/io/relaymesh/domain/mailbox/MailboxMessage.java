package io.relaymesh.domain.mailbox;

import java.util.Objects;

/**
 * A message waiting in a wayfarer's mailbox until its recipient acks it or it expires.
 *
 * @param id              the message id (a UUID), unique across the store
 * @param from            who sent it
 * @param to              the recipient's wayfarer id
 * @param payloadB64      the payload, standard base64, as the client sent it (validated at the entrance)
 * @param atSeconds       when it was stored, epoch seconds
 * @param expiresAtMillis when it stops being offered, epoch milliseconds
 */
public record MailboxMessage(String id, String from, String to, String payloadB64, long atSeconds,
                             long expiresAtMillis) {
    public MailboxMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payloadB64, "payloadB64");
        if (id.isEmpty() || to.isEmpty()) {
            throw new IllegalArgumentException("a mailbox message needs an id and a recipient");
        }
    }

    /** Whether it has expired at {@code nowMillis} (then it is never offered again). */
    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis <= nowMillis;
    }
}
