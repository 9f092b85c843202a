package io.relaymesh.bootstrap.wiring;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the answers of the pod directory for a short while. Every consumed event asks which pods
 * are alive and every forwarded batch asks a peer's address; pods heartbeat once a second with a
 * 5 s TTL, so answers up to {@code maxAge} old save a Redis round trip per event and per batch
 * without changing what counts as dead in any way that matters. Thread-safe.
 */
final class CachedPodDirectory implements PodDirectory {
    private record Live(Set<PodId> pods, long fetchedNanos) {
    }

    private record Address(Optional<String> address, long fetchedNanos) {
    }

    private final PodDirectory delegate;
    private final long maxAgeNanos;
    private final ConcurrentHashMap<PodId, Address> addresses = new ConcurrentHashMap<>();
    private volatile Live live;

    CachedPodDirectory(PodDirectory delegate, Duration maxAge) {
        this.delegate = delegate;
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public void heartbeat(PodId pod, String address, Duration ttl) {
        delegate.heartbeat(pod, address, ttl);
    }

    @Override
    public Optional<String> address(PodId pod) {
        Address cached = addresses.get(pod);
        if (cached != null && fresh(cached.fetchedNanos())) {
            return cached.address();
        }
        Optional<String> address = delegate.address(pod);
        addresses.put(pod, new Address(address, System.nanoTime()));
        return address;
    }

    @Override
    public Set<PodId> livePods() {
        Live cached = live;
        if (cached != null && fresh(cached.fetchedNanos())) {
            return cached.pods();
        }
        Set<PodId> pods = Set.copyOf(delegate.livePods());
        live = new Live(pods, System.nanoTime());
        return pods;
    }

    /**
     * A pod missing from a cached answer may have started since it was read: a pod that joined a
     * moment ago would otherwise be taken for dead, its new routes removed and its sessions taken.
     * Such a pod is looked up again; a listed one is alive without a round trip.
     */
    @Override
    public boolean alive(PodId pod) {
        Live cached = live;
        if (cached != null && fresh(cached.fetchedNanos()) && cached.pods().contains(pod)) {
            return true;
        }
        Set<PodId> pods = Set.copyOf(delegate.livePods());
        live = new Live(pods, System.nanoTime());
        return pods.contains(pod);
    }

    @Override
    public void remove(PodId pod) {
        delegate.remove(pod);
        addresses.remove(pod);
        live = null;
    }

    private boolean fresh(long fetchedNanos) {
        return System.nanoTime() - fetchedNanos < maxAgeNanos;
    }
}
