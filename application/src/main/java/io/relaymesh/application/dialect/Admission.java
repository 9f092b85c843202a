package io.relaymesh.application.dialect;

import io.relaymesh.application.connection.Principal;
import io.relaymesh.domain.model.RouteKey;

import java.util.List;

/** A dialect's answer to a new connection (at the upgrade, or on its first frame). */
public sealed interface Admission {

    /**
     * Let in as {@code principal}, joined to {@code routes}; {@code reply} (may be null) is the
     * dialect's first frame to the client, written before any envelope. With {@code since} (a
     * position the client last saw; null: none) what it missed on {@code routes} follows the reply,
     * which {@link Dialect#resumedReply} first marks with whether all of it is there.
     */
    record Admitted(Principal principal, List<RouteKey> routes, String reply, String since) implements Admission {
        public Admitted {
            routes = List.copyOf(routes);
        }

        public Admitted(Principal principal, List<RouteKey> routes, String reply) {
            this(principal, routes, reply, null);
        }
    }

    /** Not let in: {@code frame} (may be null) is written, then the socket closes with {@code closeCode}. */
    record Refused(String frame, int closeCode, String reason) implements Admission {
    }

    /**
     * Not let in yet, and the socket stays open: {@code frame} (an error) is written and the next
     * client frame is tried as the first one again.
     */
    record Retry(String frame) implements Admission {
    }

    /** The upgrade alone does not say who this is: wait for the first client frame. */
    record AwaitFirstFrame() implements Admission {
    }
}
