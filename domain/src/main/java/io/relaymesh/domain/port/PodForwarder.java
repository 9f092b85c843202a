package io.relaymesh.domain.port;

import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.PodId;

import java.util.List;
import java.util.Set;

/** Delivers events to the connections held by another pod. Thread-safe. */
public interface PodForwarder {

    /**
     * Forwards {@code events} to {@code pod}.
     *
     * @return the event ids the pod accepted
     */
    Set<String> forward(PodId pod, List<Event> events);
}
