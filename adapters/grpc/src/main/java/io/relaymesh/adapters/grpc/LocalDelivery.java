package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;

import java.util.List;
import java.util.Set;

/**
 * What the receiving pod does with a batch forwarded by another pod (bootstrap wires it to the
 * application's local delivery). Called from the server's transport threads or, when it
 * {@linkplain #mayBlock() may block}, from virtual threads; possibly concurrently.
 */
@FunctionalInterface
public interface LocalDelivery {

    /**
     * Delivers {@code events} to this pod's connections. An envelope may come again (the sender
     * resends what a broken stream left unacknowledged): one delivered before should be
     * acknowledged without being delivered twice.
     *
     * @return the ids of the events this pod took responsibility for, including events that have
     *         no matching connection here (there is nothing to do for them). Leave out only events
     *         that could not be taken now (e.g. a full buffer): the sending pod retries those.
     */
    Set<String> deliver(List<Envelope> events);

    /**
     * Whether {@link #deliver} may wait right now (for room in a full client buffer, say). A batch
     * that may not is delivered on the gRPC transport thread that read it, saving two thread
     * hand-offs per call; one that may goes to a virtual thread, so a transport thread never waits.
     * Asked for every call, so a reloaded setting applies to the next one.
     */
    default boolean mayBlock() {
        return true;
    }
}
