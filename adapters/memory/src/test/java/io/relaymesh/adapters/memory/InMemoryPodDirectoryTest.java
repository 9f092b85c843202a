package io.relaymesh.adapters.memory;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.contract.PodDirectoryContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryPodDirectoryTest extends PodDirectoryContract {

    @Override
    protected PodDirectory createDirectory() {
        return new InMemoryPodDirectory();
    }

    @Test
    void expiry_followsTheInjectedClock() {
        ManualClock clock = new ManualClock();
        InMemoryPodDirectory directory = new InMemoryPodDirectory(clock);
        PodId pod = new PodId("pod-a");
        directory.heartbeat(pod, "10.0.0.7:9090", Duration.ofSeconds(15));

        clock.advance(Duration.ofSeconds(14));
        assertEquals(Set.of(pod), directory.livePods());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Set.of(), directory.livePods());
        assertEquals(Optional.empty(), directory.address(pod));
    }

    @Test
    void lapsedPods_areSweptFromMemoryByLaterHeartbeats() {
        ManualClock clock = new ManualClock();
        InMemoryPodDirectory directory = new InMemoryPodDirectory(clock);
        for (int i = 0; i < 100; i++) {
            directory.heartbeat(new PodId("pod-" + i), "10.0.0." + i + ":9090", Duration.ofSeconds(1));
        }

        clock.advance(Sweeper.DEFAULT_INTERVAL.plusSeconds(1));
        directory.heartbeat(new PodId("pod-fresh"), "10.0.1.1:9090", Duration.ofSeconds(15));

        assertEquals(1, directory.storedCount());
    }
}
