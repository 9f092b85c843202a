package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Event;

import java.util.List;
import java.util.Set;

/**
 * What the receiving pod does with a batch forwarded by another pod (bootstrap wires it to the
 * application's local delivery). Called from the server's virtual threads, possibly concurrently.
 */
@FunctionalInterface
public interface LocalDelivery {

    /**
     * Delivers {@code events} to this pod's connections.
     *
     * @return the ids of the events this pod took responsibility for, including events that have
     *         no matching connection here (there is nothing to do for them). Leave out only events
     *         that could not be taken now (e.g. a full buffer): the sending pod retries those.
     */
    Set<String> deliver(List<Event> events);
}
