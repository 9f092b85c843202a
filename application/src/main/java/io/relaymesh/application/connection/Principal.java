package io.relaymesh.application.connection;

import io.relaymesh.application.metrics.GatewayMetrics.Kind;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.UserClaims;

import java.time.Instant;

/** Who is on the other end of an authenticated connection. */
public interface Principal {
    SessionKey sessionKey();

    /** The route key the connection registers under as soon as it is ready. */
    RouteKey baseRoute();

    /**
     * Whether one connection at a time may hold {@link #sessionKey()} across the cluster (a lock
     * is taken, an older holder is displaced); false for dialects whose clients may connect many
     * times (their session key is then unique to the connection).
     */
    default boolean exclusive() {
        return true;
    }

    Instant expiresAt();

    Kind kind();

    /** Whether this connection may receive {@code envelope} (a token may narrow what it sees). */
    default boolean mayReceive(Envelope envelope) {
        return true;
    }

    record User(UserClaims claims) implements Principal {
        public SessionKey sessionKey() {
            return SessionKey.forUser(claims);
        }

        public RouteKey baseRoute() {
            return RouteKey.agent(claims.companyId(), claims.agentId());
        }

        public Instant expiresAt() {
            return claims.expiresAt();
        }

        public Kind kind() {
            return Kind.user;
        }
    }

    record Admin(AdminClaims claims) implements Principal {
        public SessionKey sessionKey() {
            return SessionKey.forAdmin(claims);
        }

        public RouteKey baseRoute() {
            return claims.subscription();
        }

        public Instant expiresAt() {
            return claims.expiresAt();
        }

        public Kind kind() {
            return Kind.admin;
        }

        /** Admin tokens may restrict the companies whose events an admin sees. */
        @Override
        public boolean mayReceive(Envelope envelope) {
            // An envelope that names no company reaches only unrestricted admins.
            String company = envelope.attribute("company");
            return claims.mayView(company == null ? "" : company);
        }
    }
}
