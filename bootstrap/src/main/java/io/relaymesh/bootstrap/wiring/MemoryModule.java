package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.memory.InMemoryKillSwitch;
import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.adapters.memory.InMemoryPodStatsBoard;
import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.adapters.memory.InMemorySessionLocks;
import io.relaymesh.adapters.memory.InMemoryTokenCache;
import io.relaymesh.domain.port.Clock;

import javax.inject.Singleton;

/** In-memory state adapters (standalone mode); {@link StandaloneMode} binds them to the ports. */
@Module
public interface MemoryModule {

    @Provides
    @Singleton
    static InMemorySessionLocks inMemorySessionLocks(Clock clock) {
        return new InMemorySessionLocks(clock);
    }

    @Provides
    @Singleton
    static InMemoryKillSwitch inMemoryKillSwitch() {
        return new InMemoryKillSwitch();
    }

    @Provides
    @Singleton
    static InMemoryRouteRegistry inMemoryRouteRegistry(Clock clock) {
        return new InMemoryRouteRegistry(clock);
    }

    @Provides
    @Singleton
    static InMemoryPodDirectory inMemoryPodDirectory(Clock clock) {
        return new InMemoryPodDirectory(clock);
    }

    @Provides
    @Singleton
    static InMemoryPodStatsBoard inMemoryPodStatsBoard(Clock clock) {
        return new InMemoryPodStatsBoard(clock);
    }

    @Provides
    @Singleton
    static InMemoryTokenCache inMemoryTokenCache(Clock clock) {
        return new InMemoryTokenCache(clock);
    }

    @Provides
    @Singleton
    static io.relaymesh.adapters.memory.InMemoryDeliveryLedger inMemoryDeliveryLedger(Clock clock) {
        return new io.relaymesh.adapters.memory.InMemoryDeliveryLedger(clock);
    }

    @Provides
    @Singleton
    static io.relaymesh.adapters.memory.InMemoryRevocationList inMemoryRevocationList(Clock clock) {
        return new io.relaymesh.adapters.memory.InMemoryRevocationList(clock);
    }
}
