package io.relaymesh.domain.port.contract;

import io.relaymesh.domain.model.PodId;
import io.relaymesh.domain.port.PodDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static io.relaymesh.domain.port.contract.Fixtures.LONG_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.PAST_SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.SHORT_TTL;
import static io.relaymesh.domain.port.contract.Fixtures.pause;
import static io.relaymesh.domain.port.contract.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link PodDirectory} adapter must do. {@code livePods} is asserted by containment only,
 * because a directory shared by parallel tests (one Redis) also lists their pods. Beyond the port's
 * javadoc it pins down: a blank address or a non-positive TTL is a programming error
 * ({@link IllegalArgumentException}) and changes nothing.
 */
public abstract class PodDirectoryContract {

    private PodDirectory directory;

    /** A fresh adapter; adapters backed by a shared store may share it, since every test uses its own pods. */
    protected abstract PodDirectory createDirectory();

    @BeforeEach
    void createAdapter() {
        directory = createDirectory();
    }

    @Test
    void heartbeat_makesPodLiveAtItsAddress() {
        PodId pod = newPod();

        directory.heartbeat(pod, "10.0.0.7:9090", LONG_TTL);

        assertEquals(Optional.of("10.0.0.7:9090"), directory.address(pod));
        assertTrue(directory.livePods().contains(pod));
    }

    @Test
    void livePods_listsEveryLivePod() {
        PodId first = newPod();
        PodId second = newPod();

        directory.heartbeat(first, "10.0.0.1:9090", LONG_TTL);
        directory.heartbeat(second, "10.0.0.2:9090", LONG_TTL);

        assertTrue(directory.livePods().containsAll(Set.of(first, second)), directory.livePods().toString());
    }

    @Test
    void heartbeat_again_updatesAddress() {
        PodId pod = newPod();
        directory.heartbeat(pod, "10.0.0.7:9090", LONG_TTL);

        directory.heartbeat(pod, "10.0.0.8:9191", LONG_TTL);

        assertEquals(Optional.of("10.0.0.8:9191"), directory.address(pod));
    }

    @Test
    void heartbeat_lapses_podLeavesLivePods() {
        PodId lapsing = newPod();
        PodId beating = newPod();
        directory.heartbeat(lapsing, "10.0.0.7:9090", SHORT_TTL);
        directory.heartbeat(beating, "10.0.0.8:9090", LONG_TTL);
        assertTrue(directory.livePods().contains(lapsing));

        pause(PAST_SHORT_TTL);

        Set<PodId> live = directory.livePods();
        assertFalse(live.contains(lapsing), "a pod whose heartbeat lapsed must not be live");
        assertTrue(live.contains(beating));
        assertEquals(Optional.empty(), directory.address(lapsing));
    }

    @Test
    void heartbeat_again_extendsLifePastFirstTtl() {
        PodId pod = newPod();
        directory.heartbeat(pod, "10.0.0.7:9090", Duration.ofMillis(400));
        pause(Duration.ofMillis(100));

        directory.heartbeat(pod, "10.0.0.7:9090", Duration.ofMillis(1500));
        pause(Duration.ofMillis(500));

        assertTrue(directory.livePods().contains(pod));
        assertEquals(Optional.of("10.0.0.7:9090"), directory.address(pod));
    }

    @Test
    void remove_takesPodOutAtOnce_andSparesOthers() {
        PodId leaving = newPod();
        PodId staying = newPod();
        directory.heartbeat(leaving, "10.0.0.7:9090", LONG_TTL);
        directory.heartbeat(staying, "10.0.0.8:9090", LONG_TTL);

        directory.remove(leaving);

        assertEquals(Optional.empty(), directory.address(leaving));
        assertFalse(directory.livePods().contains(leaving));
        assertEquals(Optional.of("10.0.0.8:9090"), directory.address(staying));
    }

    @Test
    void remove_unknownPod_isHarmless() {
        assertDoesNotThrow(() -> directory.remove(newPod()));
    }

    @Test
    void address_ofUnknownPod_isEmpty() {
        PodId unknown = newPod();

        assertEquals(Optional.empty(), directory.address(unknown));
        assertFalse(directory.livePods().contains(unknown));
    }

    @Test
    void invalidHeartbeat_isRejectedAndChangesNothing() {
        PodId pod = newPod();
        directory.heartbeat(pod, "10.0.0.7:9090", LONG_TTL);

        assertThrows(IllegalArgumentException.class, () -> directory.heartbeat(pod, "10.0.0.8:9090", Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> directory.heartbeat(pod, "10.0.0.8:9090", Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> directory.heartbeat(pod, " ", LONG_TTL));

        assertEquals(Optional.of("10.0.0.7:9090"), directory.address(pod));
    }

    private static PodId newPod() {
        return new PodId(unique("pod"));
    }
}
