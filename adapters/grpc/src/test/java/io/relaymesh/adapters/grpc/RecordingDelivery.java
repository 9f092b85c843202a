package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.Envelope;
import io.relaymesh.testkit.PrimaryEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pod's local delivery for tests: records every call (one per Deliver RPC) and how often each
 * event id was accepted, and answers as its behaviour says. Thread-safe.
 */
final class RecordingDelivery implements LocalDelivery {

    /** How the pod answers its {@code call}-th delivery (0 = first). */
    @FunctionalInterface
    interface Behaviour {
        Set<String> answer(int call, List<Envelope> events) throws InterruptedException;
    }

    private final Behaviour behaviour;
    private final List<List<Envelope>> calls = new ArrayList<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

    RecordingDelivery(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** Accepts every event. */
    static RecordingDelivery acceptingAll() {
        return new RecordingDelivery((call, events) -> ids(events));
    }

    /** Accepts every event after {@code millis}. */
    static RecordingDelivery slow(long millis) {
        return new RecordingDelivery((call, events) -> {
            Thread.sleep(millis);
            return ids(events);
        });
    }

    static Set<String> ids(List<Envelope> events) {
        return Set.copyOf(events.stream().map(Envelope::id).toList());
    }

    @Override
    public Set<String> deliver(List<Envelope> events) {
        int call;
        synchronized (calls) {
            call = calls.size();
            calls.add(List.copyOf(events));
        }
        Set<String> answer;
        try {
            answer = behaviour.answer(call, events);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        answer.forEach(id -> accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        return answer;
    }

    List<List<Envelope>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    int callCount() {
        return calls().size();
    }

    /** How many times each event id was accepted (more than once = a duplicate). */
    Map<String, Integer> acceptedCounts() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        accepted.forEach((id, n) -> counts.put(id, n.get()));
        return counts;
    }
}
