package io.relaymesh.bootstrap.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.relaymesh.adapters.memory.InMemoryKillSwitch;
import io.relaymesh.adapters.memory.InMemoryPodDirectory;
import io.relaymesh.adapters.memory.InMemoryRouteRegistry;
import io.relaymesh.adapters.memory.InMemorySessionLocks;
import io.relaymesh.adapters.memory.InMemoryTokenCache;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionLocks;
import io.relaymesh.domain.port.TokenCache;

import javax.inject.Singleton;

/** Standalone mode: every state port backed by this process's memory. */
@Module
public interface MemoryModule {

    @Binds
    SessionLocks sessionLocks(InMemorySessionLocks impl);

    @Binds
    KillSwitch killSwitch(InMemoryKillSwitch impl);

    @Binds
    RouteRegistry routeRegistry(InMemoryRouteRegistry impl);

    @Binds
    PodDirectory podDirectory(InMemoryPodDirectory impl);

    @Binds
    TokenCache tokenCache(InMemoryTokenCache impl);

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
    static InMemoryTokenCache inMemoryTokenCache(Clock clock) {
        return new InMemoryTokenCache(clock);
    }
}
