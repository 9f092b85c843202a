package io.relaymesh.application.dialect.topics;

import io.relaymesh.domain.model.Names;

/** How a consumer is named: its client id inside its user, so one user can never ack for another. */
public final class Consumers {
    private Consumers() {
    }

    /** {@code user/clientId}; both are validated names (no '/'). */
    public static String name(String user, String clientId) {
        return Names.requireSegment("user", user) + "/" + Names.requireSegment("client_id", clientId);
    }
}
