package io.relaymesh.application.rooms;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.model.SessionKey;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection of the peer rooms dialect before and after it joins: any number per client, so its
 * session key is the connection's own. {@code upgradeToken} is the token given at the upgrade
 * ({@code ?token=} or {@code Authorization: Bearer}), if any, for a join that brings none; it is
 * checked at the join. {@code firstFrame} is the frame that admitted a connection on the shared
 * {@code /ws} (a {@code join}), handled as its first request once it is open; null otherwise. Its
 * expiry is the rooms' business (a peer whose token lapses leaves its topic), so the principal
 * itself never expires.
 */
public record RoomPrincipal(String connectionKey, String upgradeToken, String firstFrame) implements Principal {
    public RoomPrincipal {
        Objects.requireNonNull(connectionKey, "connectionKey");
    }

    public RoomPrincipal(String connectionKey, String upgradeToken) {
        this(connectionKey, upgradeToken, null);
    }

    @Override
    public SessionKey sessionKey() {
        return new SessionKey("session:rooms:" + connectionKey);
    }

    /** Never joined: a peer's route is its topic's, from its join on. */
    @Override
    public RouteKey baseRoute() {
        return RouteKey.of(Rooms.NAMESPACE, "-");
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public Instant expiresAt() {
        return Instant.MAX;
    }

    @Override
    public GatewayMetrics.Kind kind() {
        return GatewayMetrics.Kind.user;
    }

    @Override
    public String toString() {
        return "RoomPrincipal[" + connectionKey + (upgradeToken == null ? "" : ", token=<redacted>")
                + (firstFrame == null ? "" : ", first frame of " + firstFrame.length() + " chars") + "]";
    }
}
