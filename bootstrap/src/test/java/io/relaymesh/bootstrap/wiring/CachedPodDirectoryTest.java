package io.relaymesh.bootstrap.wiring;

import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.domain.model.PodId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod directory cache in front of Redis: cheap answers, but never a new pod taken for dead. */
class CachedPodDirectoryTest {
    private static final PodId A = new PodId("pod-a");
    private static final PodId B = new PodId("pod-b");

    /** Counts the reads that reach the real directory. */
    private static final class CountingDirectory extends ForwardingDirectory {
        final AtomicInteger reads = new AtomicInteger();

        CountingDirectory() {
            super(new InMemoryPodDirectory());
        }

        @Override
        public Set<PodId> livePods() {
            reads.incrementAndGet();
            return super.livePods();
        }
    }

    @Test
    void aPodThatJoinedAfterTheCacheWasRead_isAlive() {
        CountingDirectory real = new CountingDirectory();
        CachedPodDirectory cached = new CachedPodDirectory(real, Duration.ofMinutes(1));
        real.heartbeat(A, "a:1", Duration.ofSeconds(5));
        assertEquals(Set.of(A), cached.livePods());

        real.heartbeat(B, "b:1", Duration.ofSeconds(5));
        assertEquals(Set.of(A), cached.livePods(), "the cached answer, within its age");
        assertTrue(cached.alive(B), "a pod missing from the cache is looked up again before it counts as dead");
        assertEquals(Set.of(A, B), cached.livePods(), "the fresh answer replaced the cached one");
    }

    @Test
    void aListedPod_isAliveWithoutARead_andAnUnknownOneIsNot() {
        CountingDirectory real = new CountingDirectory();
        CachedPodDirectory cached = new CachedPodDirectory(real, Duration.ofMinutes(1));
        real.heartbeat(A, "a:1", Duration.ofSeconds(5));
        cached.livePods();
        int reads = real.reads.get();
        assertTrue(cached.alive(A));
        assertEquals(reads, real.reads.get(), "no round trip for a pod the cache lists");
        assertFalse(cached.alive(B));
    }
}
