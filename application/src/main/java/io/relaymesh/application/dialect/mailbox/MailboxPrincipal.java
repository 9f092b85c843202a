package io.relaymesh.application.dialect.mailbox;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.time.Instant;
import java.util.UUID;

/**
 * A wayfarer's connection. Not exclusive: a wayfarer may be online from several devices at once,
 * and each gets every push (acks are by message id, so a second copy does no harm).
 *
 * @param wayfarerId who said {@code hello}
 * @param validUntil when its token stops being accepted ({@link Instant#MAX} without a token)
 */
public record MailboxPrincipal(String wayfarerId, Instant validUntil, String connection) implements Principal {

    public MailboxPrincipal(String wayfarerId, Instant validUntil) {
        this(wayfarerId, validUntil, UUID.randomUUID().toString());
    }

    @Override
    public SessionKey sessionKey() {
        return new SessionKey("session:mailbox:" + connection);
    }

    @Override
    public RouteKey baseRoute() {
        return Mailbox.route(wayfarerId);
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public Instant expiresAt() {
        return validUntil;
    }

    @Override
    public GatewayMetrics.Kind kind() {
        return GatewayMetrics.Kind.user;
    }
}
