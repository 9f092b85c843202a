package io.relaymesh.application.delivery;

import io.relaymesh.application.metrics.GatewayMetrics;
import io.relaymesh.domain.model.Event;
import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.model.RouteKey;
import io.relaymesh.domain.port.DeliveryLedger;
import io.relaymesh.domain.port.EventSource;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;
import io.relaymesh.domain.port.RouteRegistry;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settles one event consumed from the stream: delivers it to this pod's connections, forwards it
 * to every other live pod that holds its route keys, and acks it only when every target accepted
 * it; otherwise naks it for redelivery (at-least-once; clients deduplicate by event_id).
 *
 * <p>Routes of pods whose heartbeat has lapsed are ignored at once and removed. A redelivered
 * event is not sent again to pods (or local connections) that already took it, as long as the
 * redelivery comes back to this pod, which keeps duplicates to the failing pod's share.
 * Thread-safe.
 */
public final class ClusterDelivery {
    private static final Logger LOG = Logger.getLogger(ClusterDelivery.class.getName());
    /** How long this pod remembers which targets took an event, for redeliveries. */
    private static final Duration MEMORY = Duration.ofMinutes(5);
    private static final int MEMORY_LIMIT = 100_000;

    private final EventDelivery delivery;
    private final PodForwarder forwarder;
    private final DeliveryLedger ledger;
    private final PodDirectory pods;
    private final RouteRegistry registry;
    private final GatewayMetrics metrics;
    private final Duration retryDelay;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final PodId self;

    /** Targets that already took an event, and when it was first seen. */
    private record Progress(Set<PodId> done, boolean local, long firstSeenNanos) {
    }

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
        Event event = inbound.event();
        metrics.eventConsumed();
        try {
            Progress before = progress.get(event.eventId());
            Set<PodId> alreadyDone = new HashSet<>(before == null ? Set.of() : before.done());
            boolean localDone = before != null && before.local();
            if (inbound.deliveryAttempt() > 1) {
                // A redelivery may come to any pod: the ledger says who took it on earlier attempts.
                alreadyDone.addAll(takenEarlier(event));
                localDone |= alreadyDone.contains(self);
            }
            DeliveryReport report = localDone ? delivery.lookupOnly(event) : delivery.deliver(event);
            if (report.lookupFailed()) {
                remember(event, alreadyDone, true, before);
                record(event, withSelf(alreadyDone));
                return settle(inbound, false, "route lookup failed");
            }
            Set<PodId> targets = liveTargets(event, report.remotePods());
            targets.removeAll(alreadyDone);
            if (targets.isEmpty()) {
                forget(event);
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
                            if (accepted.contains(event.eventId())) {
                                done.add(pod);
                            } else if (failures.indexOf(pod.value()) < 0) {
                                failures.append(' ').append(pod).append(": not accepted");
                            }
                        });
                        if (done.containsAll(targets)) {
                            forget(event);
                            return settle(inbound, true, null);
                        }
                        remember(event, done, true, before);
                        record(event, withSelf(done));
                        return settle(inbound, false, "forward failed to" + failures);
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event_id=" + event.eventId() + " could not be handled; nak", e);
            return settle(inbound, false, e.getMessage());
        }
    }

    private Set<PodId> withSelf(Set<PodId> done) {
        Set<PodId> all = new HashSet<>(done);
        all.add(self);
        return all;
    }

    /** Records who took a failed event, for the pod that gets its redelivery; best effort. */
    private void record(Event event, Set<PodId> taken) {
        try {
            ledger.recordTaken(event.eventId(), taken, MEMORY);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "event_id=" + event.eventId() + " not recorded; its redelivery may duplicate", e);
        }
    }

    private Set<PodId> takenEarlier(Event event) {
        try {
            return ledger.taken(event.eventId());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "event_id=" + event.eventId() + " ledger unreadable; redelivering to all", e);
            return Set.of();
        }
    }

    /** Pods to forward to: route members that are alive; a dead pod's routes are removed. */
    private Set<PodId> liveTargets(Event event, Set<PodId> remote) {
        if (remote.isEmpty()) {
            return new HashSet<>();
        }
        Set<PodId> live = pods.livePods();
        Set<PodId> targets = new HashSet<>();
        for (PodId pod : remote) {
            if (live.contains(pod)) {
                targets.add(pod);
            } else {
                LOG.info(() -> "pod_id=" + pod + " has no heartbeat; ignoring and removing its routes for "
                        + event.subject().value());
                for (RouteKey key : event.subject().routeKeys()) {
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
        Event event = inbound.event();
        try {
            if (ack) {
                inbound.ack();
                metrics.eventAcked();
            } else {
                LOG.warning(() -> "event_id=" + event.eventId() + " nak (redelivery in " + retryDelay.toMillis()
                        + " ms): " + why);
                inbound.nak(retryDelay);
                metrics.eventNaked();
            }
        } catch (RuntimeException e) {
            // The stream redelivers after its ack wait anyway: nothing is lost.
            LOG.log(Level.WARNING, "event_id=" + event.eventId() + " could not be settled", e);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void remember(Event event, Set<PodId> done, boolean local, Progress before) {
        if (progress.size() >= MEMORY_LIMIT) {
            long cutoff = System.nanoTime() - MEMORY.toNanos();
            progress.values().removeIf(p -> p.firstSeenNanos() < cutoff);
            if (progress.size() >= MEMORY_LIMIT) {
                progress.clear();
            }
        }
        long first = before == null ? System.nanoTime() : before.firstSeenNanos();
        progress.put(event.eventId(), new Progress(Set.copyOf(done), local, first));
    }

    private void forget(Event event) {
        progress.remove(event.eventId());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
