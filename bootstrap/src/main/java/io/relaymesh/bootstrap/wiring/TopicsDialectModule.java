package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.mvstore.MvStoreTopicLog;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisTopicLog;
import io.relaymesh.adapters.web.dialect.topics.TopicsDialect;
import io.relaymesh.adapters.web.dialect.topics.TopicsHttpService;
import io.relaymesh.adapters.web.dialect.topics.TopicsMeters;
import io.relaymesh.application.auth.ApiKeys;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Intake;
import io.relaymesh.application.dialect.topics.LongPoll;
import io.relaymesh.application.dialect.topics.TopicPublisher;
import io.relaymesh.application.dialect.topics.TopicSubscriptions;
import io.relaymesh.application.dialect.topics.TopicWaiters;
import io.relaymesh.application.dialect.topics.TopicsIntake;
import io.relaymesh.application.dialect.topics.TopicsSettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.config.TopicsDialectConfig;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.IdGenerator;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.topics.TopicLog;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The topics dialect (Pulsar Relay, seed 002), the whole of its wiring: its sockets on
 * {@code dialects.topics.path} and {@code /ws} (first frame {@code subscribe}), its REST producers
 * and long-poll consumers, its backend subject {@code topics.{topic}} (stored by its intake before
 * delivery), and its store (Redis Streams in a cluster, a file in standalone mode) with a trimmer.
 * With {@code dialects.topics.enabled: false} it contributes nothing and opens no store.
 */
@Module
public interface TopicsDialectModule {
    /** How long a topic's long-poll listener stays joined after its last waiter. */
    Duration WAITER_LINGER = Duration.ofSeconds(60);
    Duration TRIM_INTERVAL = Duration.ofSeconds(30);

    @Provides
    @ElementsIntoSet
    static Set<Dialect> topicsDialect(RelaymeshConfig config, Provider<TopicSubscriptions> subscriptions,
                                      Provider<DialectSessions> sessions, Settings<JwtVerifier> jwt,
                                      Provider<TopicsMeters> meters, Provider<TopicLog> log,
                                      Provider<TopicWaiters> waiters, Clock clock) {
        TopicsDialectConfig c = config.dialects().topics();
        if (!c.enabled()) {
            return Set.of();
        }
        if (!jwt.get().enabled()) {
            // Seed consumers present a JWT; without a key every one of them would be refused.
            Logger.getLogger(TopicsDialectModule.class.getName()).warning("dialects.topics is enabled but no JWT key "
                    + "is set (auth.jwt_secret, auth.jwks_file or auth.jwks_url): topic consumers (WebSocket and "
                    + "long-poll) are refused until one is; producers can still publish");
        }
        TopicLog store = log.get();
        TopicWaiters pollers = waiters.get();
        ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("topics-trim").factory());
        trimmer.scheduleWithFixedDelay(() -> {
            try {
                store.trim(clock.millis());
            } catch (RuntimeException e) {
                Logger.getLogger(TopicsDialectModule.class.getName()).log(Level.WARNING, "topics trim failed", e);
            }
        }, TRIM_INTERVAL.toMillis(), TRIM_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return Set.of(new TopicsDialect(c.path(), jwt, sessions::get, subscriptions.get(), meters.get(), () -> {
            trimmer.shutdownNow();
            pollers.close();
            store.close();
        }));
    }

    @Provides
    @ElementsIntoSet
    static Set<SubjectBinding> topicsSubjects(RelaymeshConfig config) {
        return config.dialects().topics().enabled()
                ? Set.of(new SubjectBinding("topics", SubjectBinding.Stream.DIALECTS, "topics.{topic}",
                List.of("topic:{topic}"), SubjectBinding.Start.ALL))
                : Set.of();
    }

    @Provides
    @ElementsIntoSet
    static Set<Intake> topicsIntake(RelaymeshConfig config, Provider<TopicLog> log, Clock clock,
                                    Provider<TopicsSettings> settings) {
        return config.dialects().topics().enabled()
                ? Set.of(new TopicsIntake(log.get(), clock, settings::get)) : Set.of();
    }

    @Provides
    @ElementsIntoSet
    static Set<HttpService> topicsHttp(RelaymeshConfig config, Settings<ApiKeys> keys, Settings<JwtVerifier> jwt,
                                       Provider<TopicPublisher> publisher, Provider<LongPoll> poll,
                                       Provider<TopicsSettings> settings, Provider<TopicsMeters> meters) {
        if (!config.dialects().topics().enabled()) {
            return Set.of();
        }
        TopicsSettings s = settings.get();
        return Set.of(new TopicsHttpService(keys, jwt, publisher.get(), poll.get(), () -> s, meters.get()));
    }

    @Provides
    @Singleton
    static TopicsSettings topicsSettings(RelaymeshConfig config) {
        TopicsDialectConfig c = config.dialects().topics();
        return new TopicsSettings(c.retention(), c.maxMessagesPerTopic(), c.maxPayloadBytes(), c.maxBulkMessages(),
                c.publishRatePerSecond(), c.publishBurst(), c.maxPollTimeout(), c.maxPollMessages(), c.replayLimit(),
                c.maxTopicsPerClient(), c.maxAcksPerSecond());
    }

    @Provides
    @Singleton
    static TopicLog topicLog(RelaymeshConfig config, Provider<RedisConnections> redis) {
        TopicsDialectConfig c = config.dialects().topics();
        return config.standalone()
                ? new MvStoreTopicLog(Path.of(c.storePath()), c.retention(), c.maxMessagesPerTopic())
                : new RedisTopicLog(redis.get(), c.retention(), c.maxMessagesPerTopic());
    }

    @Provides
    @Singleton
    static TopicsMeters topicsMeters(PrometheusMeterRegistry registry) {
        return new TopicsMeters(registry);
    }

    @Provides
    @Singleton
    static TopicPublisher topicPublisher(TopicLog log, Delivery delivery, Clock clock, IdGenerator ids,
                                         TopicsSettings settings) {
        return new TopicPublisher(log, delivery, clock, ids, () -> settings);
    }

    @Provides
    @Singleton
    static TopicWaiters topicWaiters(ConnectionHub hub, PrometheusMeterRegistry registry) {
        TopicWaiters waiters = new TopicWaiters(hub, WAITER_LINGER);
        io.micrometer.core.instrument.Gauge.builder("relaymesh_topics_polls_waiting", waiters, TopicWaiters::waiting)
                .tag("dialect", "topics").description("Long-polls waiting on this pod for a message")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("relaymesh_topics_poll_listeners", waiters, TopicWaiters::listening)
                .tag("dialect", "topics").description("Topics this pod listens to for its long-polls (one route key each)")
                .register(registry);
        return waiters;
    }

    @Provides
    @Singleton
    static LongPoll longPoll(TopicLog log, TopicWaiters waiters, Clock clock, TopicsSettings settings) {
        return new LongPoll(log, waiters, clock, () -> settings);
    }

    @Provides
    @Singleton
    static TopicSubscriptions topicSubscriptions(TopicLog log, DialectSessions sessions, Clock clock,
                                                 TopicsSettings settings) {
        return new TopicSubscriptions(log, sessions, clock, () -> settings);
    }
}
