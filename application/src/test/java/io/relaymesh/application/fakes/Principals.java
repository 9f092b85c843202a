package io.relaymesh.application.fakes;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;

import java.time.Duration;

/** Principals whose tokens expire an hour after {@link ManualClock#START}. */
public final class Principals {
    public static final Duration LIFETIME = Duration.ofHours(1);

    private Principals() {
    }

    public static Principal.User user(String company, String agent, String user) {
        return new Principal.User(new UserClaims(company, agent, user, ManualClock.START.plus(LIFETIME)));
    }

    /** An admin subscribed to {@code company}/{@code agent} (empty = all), optionally restricted to a company. */
    public static Principal.Admin admin(String adminId, String company, String agent, String restriction) {
        return new Principal.Admin(new AdminClaims(adminId, ManualClock.START.plus(LIFETIME), company, agent,
                restriction));
    }
}
