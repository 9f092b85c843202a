package io.relaymesh.adapters.grpc;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** A pod directory whose entries never expire; tests remove pods explicitly. Thread-safe. */
final class FakePodDirectory implements PodDirectory {
    private final Map<PodId, String> addresses = new ConcurrentHashMap<>();
    private final Map<PodId, CountDownLatch> hung = new ConcurrentHashMap<>();

    /** Makes look-ups of {@code pod} block (like a backing store that stopped answering) until {@link #release}. */
    void hang(PodId pod) {
        hung.put(pod, new CountDownLatch(1));
    }

    void release(PodId pod) {
        CountDownLatch latch = hung.remove(pod);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public void heartbeat(PodId pod, String address, Duration ttl) {
        addresses.put(pod, address);
    }

    @Override
    public Optional<String> address(PodId pod) {
        CountDownLatch latch = hung.get(pod);
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.ofNullable(addresses.get(pod));
    }

    @Override
    public Set<PodId> livePods() {
        return Set.copyOf(addresses.keySet());
    }

    @Override
    public void remove(PodId pod) {
        addresses.remove(pod);
    }
}
