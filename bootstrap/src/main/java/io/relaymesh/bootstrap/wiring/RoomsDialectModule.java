package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dagger.multibindings.IntoSet;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.memory.InMemoryRoomRoster;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisRoomRoster;
import io.relaymesh.adapters.web.ListenerTls;
import io.relaymesh.adapters.web.dialect.DedicatedListener;
import io.relaymesh.adapters.web.dialect.rooms.RoomFrames;
import io.relaymesh.adapters.web.dialect.rooms.RoomsDialect;
import io.relaymesh.adapters.web.dialect.rooms.RoomsMeters;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.rooms.RoomEnvelopes;
import io.relaymesh.application.rooms.Rooms;
import io.relaymesh.application.rooms.RoomsSettings;
import io.relaymesh.application.rooms.RoomsUpkeep;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.ListenerTlsConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.config.RoomsConfig;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RevocationList;
import io.relaymesh.domain.port.RoomRoster;
import org.slf4j.LoggerFactory;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The peer rooms dialect (the PluresDB WSS relay, seed 004), the whole of its wiring: its codec and
 * endpoints, its use case and upkeep, its roster (Redis in cluster mode, memory standalone), its
 * dedicated TLS listener when {@code dialects.rooms.listener_port} is set, its metrics and its
 * reloadable limits. Its upkeep runs from the dialect's start to its stop (the seam's hooks). With {@code dialects.rooms.enabled: false} it registers nothing.
 */
@Module
public interface RoomsDialectModule {
    /** How often the upkeep runs: a pod that died is noticed within its heartbeat TTL plus this. */
    Duration UPKEEP_INTERVAL = Duration.ofSeconds(1);
    /** How long a stopping pod waits for its peers' departures to be relayed. */
    Duration DEPARTURES_WAIT = Duration.ofSeconds(3);

    @Provides
    @Singleton
    static Settings<RoomsSettings> roomsSettings(RelaymeshConfig config) {
        return new Settings<>(roomsSettingsOf(config));
    }

    /** The use case's settings from the configuration (also on a reload). */
    static RoomsSettings roomsSettingsOf(RelaymeshConfig config) {
        RoomsConfig rooms = config.dialects().rooms();
        Duration refresh = config.app().ttlRefreshInterval();
        // Long enough that a topic outlives a few missed refreshes, short enough that one nobody holds goes.
        Duration ttl = refresh.multipliedBy(3).compareTo(Duration.ofSeconds(30)) > 0 ? refresh.multipliedBy(3)
                : Duration.ofSeconds(30);
        return new RoomsSettings(rooms.maxDataBytes(), rooms.maxPeersPerTopic(), rooms.maxBytesPerSecond(),
                rooms.maxFramesPerSecond(), rooms.authRequired(), refresh, ttl, rooms.statsInterval());
    }

    @Provides
    @Singleton
    static RoomRoster roomRoster(RelaymeshConfig config, Provider<RedisConnections> redis, Clock clock) {
        return config.standalone() ? new InMemoryRoomRoster(clock) : new RedisRoomRoster(redis.get());
    }

    @Provides
    @Singleton
    static RoomsMeters roomsMeters(PrometheusMeterRegistry registry) {
        return new RoomsMeters(registry);
    }

    @Provides
    @Singleton
    static RoomFrames roomFrames() {
        return new RoomFrames();
    }

    @Provides
    @Singleton
    static Rooms rooms(DialectSessions sessions, RoomRoster roster, PodDirectory pods, RuntimeFacts facts,
                       Settings<RoomsSettings> settings, Settings<JwtVerifier> jwt, RevocationList revocations,
                       RoomFrames frames, RoomsMeters meters, Clock clock) {
        if (settings.get().authRequired() && !jwt.get().enabled()) {
            LoggerFactory.getLogger(RoomsDialectModule.class).warn("dialects.rooms.auth_required is true but no JWT "
                    + "key is configured (auth.jwt_secret, auth.jwks_file or auth.jwks_url): every join of the peer "
                    + "rooms is refused until one is");
        }
        Rooms rooms = new Rooms(sessions, roster, pods, facts.podId(), settings, jwt, revocations, frames,
                new RoomEnvelopes(sessions, clock, meters), meters, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        meters.bind(rooms);
        return rooms;
    }

    @Provides
    @Singleton
    static RoomsUpkeep roomsUpkeep(Rooms rooms, RoomRoster roster, PodDirectory pods, RuntimeFacts facts,
                                   Settings<RoomsSettings> settings, Clock clock) {
        return new RoomsUpkeep(rooms, roster, pods, facts.podId(), settings, clock);
    }

    @Provides
    @Singleton
    static RoomsDialect roomsDialect(RelaymeshConfig config, Rooms rooms, RoomFrames frames,
                                     Settings<RoomsSettings> settings, RoomsUpkeep upkeep) {
        return new RoomsDialect(config.dialects().rooms().path(), rooms, frames, settings,
                settings.get().maxFrameBytes(), upkeep, UPKEEP_INTERVAL, DEPARTURES_WAIT);
    }

    @Provides
    @ElementsIntoSet
    static Set<Dialect> roomsDialects(RelaymeshConfig config, Provider<RoomsDialect> dialect) {
        return config.dialects().rooms().enabled() ? Set.of(dialect.get()) : Set.of();
    }

    @Provides
    @ElementsIntoSet
    static Set<DedicatedListener> roomsListener(RelaymeshConfig config, Provider<RoomsDialect> dialect) {
        RoomsConfig rooms = config.dialects().rooms();
        if (!rooms.enabled() || rooms.listenerPort() == 0) {
            return Set.of();
        }
        ListenerTlsConfig tls = rooms.listenerTls(config.server());
        return Set.of(new DedicatedListener(RoomsDialect.NAME, rooms.listenerPort(),
                new ListenerTls(Path.of(tls.certFile()), Path.of(tls.keyFile())), dialect.get()));
    }

    @Provides
    @IntoSet
    static ConfigFollower roomsReload(Settings<RoomsSettings> settings) {
        return next -> settings.set(roomsSettingsOf(next));
    }
}
