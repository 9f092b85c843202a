package io.relaymesh.application.fakes;

import io.relaymesh.application.auth.Authenticator;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.LocalSession;
import io.relaymesh.application.connection.Principal;
import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.application.delivery.EventDelivery;
import io.relaymesh.domain.model.PodId;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * One gateway process wired like bootstrap wires it, on its cluster's shared adapters, with its own
 * metrics. Kill requests reach it only after {@link #listenForKills()}.
 */
public final class Pod {
    public final PodId id;
    public final CountingMetrics metrics = new CountingMetrics();
    public final ConnectionHub hub;
    public final SessionManager sessions;
    public final Authenticator authenticator;
    public final Gateway gateway;
    public final EventDelivery delivery;
    /** What was published through {@link #publisher}, for resuming clients (standalone's history). */
    public final io.relaymesh.adapters.memory.InMemoryEventLog history = new io.relaymesh.adapters.memory.InMemoryEventLog(1000);
    /** Publishes as standalone does: into the history, then to this pod's connections. */
    public final io.relaymesh.application.delivery.DirectEventPublisher publisher;
    private final Cluster cluster;

    Pod(PodId id, Cluster cluster) {
        this.id = id;
        this.cluster = cluster;
        this.hub = new ConnectionHub(id, cluster.routes, cluster.settings);
        this.sessions = new SessionManager(cluster.locks, cluster.killSwitch, cluster.pods, hub, cluster.settings,
                metrics);
        this.authenticator = new Authenticator(() -> cluster.apiKeys, () -> cluster.codec, cluster.tokenCache,
                cluster.clock, cluster.settings, metrics);
        this.gateway = new Gateway(authenticator, sessions, cluster.locks, hub, cluster.clock, cluster.settings,
                metrics, history, 100);
        this.delivery = new EventDelivery(hub, cluster.routes);
        this.publisher = new io.relaymesh.application.delivery.DirectEventPublisher(delivery, metrics, history);
    }

    /** Routes kill requests for this pod to its session manager, as bootstrap does. */
    public AutoCloseable listenForKills() {
        return cluster.killSwitch.listen(id, sessions::onKillRequest);
    }

    /** Opens {@code connection} for {@code principal}, which must succeed. */
    public LocalSession open(Principal principal, RecordingConnection connection) {
        Gateway.Opening opening = gateway.open(principal, connection);
        return assertInstanceOf(Gateway.Opening.Opened.class, opening, "opening " + principal.sessionKey()).session();
    }

    /** Opens a new connection for {@code principal}, which must succeed. */
    public LocalSession open(Principal principal) {
        return open(principal, cluster.connection());
    }
}
