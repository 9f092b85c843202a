package io.relaymesh.application.connection;

import io.relaymesh.application.metrics.GatewayMetrics.Kind;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;
import io.relaymesh.domain.model.UserClaims;

import java.time.Instant;

/** Who is on the other end of an authenticated connection. */
public sealed interface Principal {
    SessionKey sessionKey();

    /** The route key the connection registers under as soon as it is ready. */
    RouteKey baseRoute();

    Instant expiresAt();

    Kind kind();

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
    }
}
