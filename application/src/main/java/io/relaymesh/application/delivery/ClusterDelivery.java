package io.relaymesh.application.delivery;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.DeliveryLedger;
import io.relaymesh.domain.port.EventSource;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;
import io.relaymesh.domain.port.RouteRegistry;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles one event consumed from the stream: delivers it to this pod's connections, forwards it
 * to every other live pod that holds its route keys, and acks it only when every target accepted
 * it; otherwise naks it for redelivery (at-least-once; clients deduplicate by event_id).
 *
 * <p>Routes of pods whose heartbeat has lapsed are ignored at once and removed. When a target did
 * not take the event, the pods that did are written to the shared {@link DeliveryLedger}; a
 * redelivery, whichever pod consumes it, reads it and goes only to the others, so a failing pod
 * does not cause duplicates elsewhere. Thread-safe.
 */
public final class ClusterDelivery implements Delivery {
    private static final Logger LOG = Logger.getLogger(ClusterDelivery.class.getName());
    /** How long the ledger keeps which pods took a failed event (longer than any redelivery delay). */
    private static final Duration LEDGER_TTL = Duration.ofMinutes(5);

    private final EventDelivery delivery;
    private final PodForwarder forwarder;
    private final DeliveryLedger ledger;
    private final PodDirectory pods;
    private final RouteRegistry registry;
    private final GatewayMetrics metrics;
    private final Duration retryDelay;
    private final PodId self;

    public ClusterDelivery(EventDelivery delivery, PodForwarder forwarder, DeliveryLedger ledger, PodDirectory pods,
                           RouteRegistry registry, GatewayMetrics metrics, Duration retryDelay) {
        this.delivery = delivery;
        this.forwarder = forwarder;
        this.ledger = ledger;
        this.pods = pods;
        this.registry = registry;
        this.metrics = metrics;
        this.retryDelay = retryDelay;
        this.self = delivery.self();
    }

    /**
     * Handles one inbound event; the returned future completes once it is settled (acked or
     * nak'ed). Never throws: a fault naks the event.
     */
    public CompletableFuture<Void> handle(EventSource.Inbound inbound) {
        Envelope event = inbound.envelope();
        metrics.eventConsumed();
        metrics.eventHandled();
        try {
            // A redelivery may come to any pod: the ledger says who took it on earlier attempts.
            Set<PodId> alreadyDone = inbound.deliveryAttempt() > 1 ? takenEarlier(event) : Set.of();
            DeliveryReport report = alreadyDone.contains(self) ? delivery.lookupOnly(event) : delivery.deliver(event);
            if (report.lookupFailed()) {
                record(event, withSelf(alreadyDone));
                return settle(inbound, false, "route lookup failed");
            }
            Set<PodId> targets = liveTargets(event, report.remotePods());
            targets.removeAll(alreadyDone);
            if (targets.isEmpty()) {
                return settle(inbound, true, null);
            }
            Map<PodId, CompletableFuture<Set<String>>> sends = new ConcurrentHashMap<>();
            for (PodId pod : targets) {
                sends.put(pod, forwarder.forward(pod, List.of(event)));
            }
            return CompletableFuture.allOf(sends.values().stream()
                            .map(f -> f.handle((ids, error) -> null)).toArray(CompletableFuture[]::new))
                    .thenCompose(ignored -> {
                        Set<PodId> done = new HashSet<>(alreadyDone);
                        StringBuilder failures = new StringBuilder();
                        sends.forEach((pod, future) -> {
                            Set<String> accepted = future.exceptionally(e -> {
                                failures.append(' ').append(pod).append(": ").append(rootMessage(e));
                                return Set.of();
                            }).join();
                            if (accepted.contains(event.id())) {
                                done.add(pod);
                            } else if (failures.indexOf(pod.value()) < 0) {
                                failures.append(' ').append(pod).append(": not accepted");
                            }
                        });
                        if (done.containsAll(targets)) {
                            return settle(inbound, true, null);
                        }
                        record(event, withSelf(done));
                        return settle(inbound, false, "forward failed to" + failures);
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event_id=" + event.id() + " could not be handled; nak", e);
            return settle(inbound, false, e.getMessage());
        }
    }

    /**
     * Delivers {@code envelope} here and forwards it to the other live pods holding its route
     * keys, without a stream to settle (a client's relay, say): completes with the pods that did
     * not take it. A failed route lookup counts as every other pod missing.
     */
    @Override
    public CompletableFuture<Set<PodId>> deliver(Envelope envelope) {
        DeliveryReport report = delivery.deliver(envelope);
        if (report.lookupFailed()) {
            return CompletableFuture.completedFuture(otherLivePods());
        }
        Map<PodId, List<Envelope>> batches = new HashMap<>();
        for (PodId pod : liveTargets(envelope, report.remotePods())) {
            batches.put(pod, List.of(envelope));
        }
        return forwardEach(batches, () -> "event_id=" + envelope.id());
    }

    /**
     * Delivers {@code envelopes} here in order, then looks routes up once for all of them and
     * forwards to each other live pod, as one batch in their order, those whose keys it holds.
     */
    @Override
    public CompletableFuture<Set<PodId>> deliverAll(List<Envelope> envelopes) {
        if (envelopes.size() == 1) {
            return deliver(envelopes.getFirst());
        }
        if (envelopes.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        Map<RouteKey, Set<PodId>> routes = delivery.deliverAll(envelopes);
        if (routes == null) {
            return CompletableFuture.completedFuture(otherLivePods());
        }
        Map<PodId, LinkedHashSet<Envelope>> perPod = new LinkedHashMap<>();
        for (Envelope envelope : envelopes) {
            for (RouteKey key : envelope.audience()) {
                for (PodId pod : routes.getOrDefault(key, Set.of())) {
                    perPod.computeIfAbsent(pod, p -> new LinkedHashSet<>()).add(envelope);
                }
            }
        }
        if (perPod.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        Map<PodId, List<Envelope>> batches = new HashMap<>();
        for (PodId pod : liveTargets(envelopes.getFirst(), perPod.keySet())) {
            batches.put(pod, List.copyOf(perPod.get(pod)));
        }
        return forwardEach(batches, () -> envelopes.size() + " envelopes (first event_id="
                + envelopes.getFirst().id() + ")");
    }

    /**
     * Forwards each pod its batch, all at once; completes, once every pod answered or failed, with
     * the pods that did not take every envelope of theirs (logged as {@code what} not taken by them).
     */
    private CompletableFuture<Set<PodId>> forwardEach(Map<PodId, List<Envelope>> batches, Supplier<String> what) {
        if (batches.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        Map<PodId, CompletableFuture<Set<String>>> sends = new HashMap<>();
        batches.forEach((pod, batch) -> sends.put(pod, forwarder.forward(pod, batch)));
        return CompletableFuture.allOf(sends.values().stream()
                        .map(f -> f.handle((ids, error) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    Set<PodId> missed = new HashSet<>();
                    sends.forEach((pod, future) -> {
                        Set<String> accepted = future.exceptionally(e -> Set.of()).join();
                        for (Envelope envelope : batches.get(pod)) {
                            if (!accepted.contains(envelope.id())) {
                                missed.add(pod);
                                break;
                            }
                        }
                    });
                    if (!missed.isEmpty()) {
                        LOG.warning(() -> what.get() + " not taken by " + missed);
                    }
                    return missed;
                });
    }

    /** Every live pod but this one: those that miss an envelope whose route lookup failed. */
    private Set<PodId> otherLivePods() {
        Set<PodId> others = new HashSet<>(pods.livePods());
        others.remove(self);
        return others;
    }

    private Set<PodId> withSelf(Set<PodId> done) {
        Set<PodId> all = new HashSet<>(done);
        all.add(self);
        return all;
    }

    /** Records who took a failed event, for the pod that gets its redelivery; best effort. */
    private void record(Envelope event, Set<PodId> taken) {
        try {
            ledger.recordTaken(event.id(), taken, LEDGER_TTL);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "event_id=" + event.id() + " not recorded; its redelivery may duplicate", e);
        }
    }

    private Set<PodId> takenEarlier(Envelope event) {
        try {
            return ledger.taken(event.id());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "event_id=" + event.id() + " ledger unreadable; redelivering to all", e);
            return Set.of();
        }
    }

    /** Pods to forward to: route members that are alive; a dead pod's routes are removed. */
    private Set<PodId> liveTargets(Envelope event, Set<PodId> remote) {
        if (remote.isEmpty()) {
            return new HashSet<>();
        }
        Set<PodId> live = pods.livePods();
        Set<PodId> targets = new HashSet<>();
        for (PodId pod : remote) {
            if (live.contains(pod) || pods.alive(pod)) {
                targets.add(pod);
            } else {
                LOG.info(() -> "pod_id=" + pod + " has no heartbeat; ignoring and removing its routes for "
                        + event.audience());
                for (RouteKey key : event.audience()) {
                    try {
                        registry.unregister(key, pod);
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "could not remove route_key=" + key + " of dead pod_id=" + pod, e);
                    }
                }
            }
        }
        return targets;
    }

    private CompletableFuture<Void> settle(EventSource.Inbound inbound, boolean ack, String why) {
        Envelope event = inbound.envelope();
        try {
            if (ack) {
                inbound.ack();
                metrics.eventAcked();
            } else {
                LOG.warning(() -> "event_id=" + event.id() + " nak (redelivery in " + retryDelay.toMillis()
                        + " ms): " + why);
                inbound.nak(retryDelay);
                metrics.eventNaked();
            }
        } catch (RuntimeException e) {
            // The stream redelivers after its ack wait anyway: nothing is lost.
            LOG.log(Level.WARNING, "event_id=" + event.id() + " could not be settled", e);
        }
        return CompletableFuture.completedFuture(null);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
