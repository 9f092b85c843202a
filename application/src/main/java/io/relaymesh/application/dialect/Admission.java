package io.relaymesh.application.dialect;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.domain.model.RouteKey;

import java.util.List;

/** A dialect's answer to a new connection (at the upgrade, or on its first frame). */
public sealed interface Admission {

    /**
     * Let in as {@code principal}, joined to {@code routes}; {@code reply} (may be null) is the
     * dialect's first frame to the client, written before any envelope. When
     * {@code handleFirstFrame}, the first frame that admitted the connection (on the shared
     * {@code /ws}) is also handed to {@link Dialect#onFrame} once the connection is open, so a
     * dialect whose first frame is a request like any other (a {@code join}) handles it in one place.
     */
    record Admitted(Principal principal, List<RouteKey> routes, String reply, boolean handleFirstFrame)
            implements Admission {
        public Admitted {
            routes = List.copyOf(routes);
        }

        public Admitted(Principal principal, List<RouteKey> routes, String reply) {
            this(principal, routes, reply, false);
        }
    }

    /** Not let in: {@code frame} (may be null) is written, then the socket closes with {@code closeCode}. */
    record Refused(String frame, int closeCode, String reason) implements Admission {
    }

    /** The upgrade alone does not say who this is: wait for the first client frame. */
    record AwaitFirstFrame() implements Admission {
    }
}
