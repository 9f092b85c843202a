package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.memory.InMemoryPresenceRegistry;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisPresenceRegistry;
import io.relaymesh.adapters.redis.RedisPubSubIngest;
import io.relaymesh.adapters.web.dialect.conversations.ConversationFrames;
import io.relaymesh.adapters.web.dialect.conversations.ConversationsDialect;
import io.relaymesh.adapters.web.dialect.conversations.ConversationsRootService;
import io.relaymesh.adapters.web.dialect.conversations.MicrometerConversationsMetrics;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.conversations.ChatAuthentication;
import io.relaymesh.application.dialect.conversations.Conversations;
import io.relaymesh.application.dialect.conversations.ConversationsMetrics;
import io.relaymesh.application.dialect.conversations.ConversationsSettings;
import io.relaymesh.application.dialect.conversations.Presence;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.ConversationsDialectConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.JwtVerifier;
import io.relaymesh.domain.port.PresenceRegistry;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * The conversations dialect (seed 003, the chat WebSocket gateway): its endpoint, its subjects
 * ({@code conversations.{id}}, {@code users.{id}} in the dialects' stream), its presence store
 * (memory standalone, Redis in a cluster), its Redis Pub/Sub ingestion and its {@code GET /} JSON
 * answer. With {@code dialects.conversations.enabled: false} it contributes nothing.
 */
@Module
public interface ConversationsDialectModule {

    private static ConversationsDialectConfig section(RelaymeshConfig config) {
        return config.dialects().conversations();
    }

    @Provides
    @Singleton
    static ConversationsSettings conversationsSettings(RelaymeshConfig config) {
        ConversationsDialectConfig c = section(config);
        return new ConversationsSettings(c.typingExpiry(), c.presenceExpiry(), c.idleTimeout(), c.maxMessageBytes(),
                c.authTimeout(), c.conversationsClaim(), c.allowWithoutClaim());
    }

    @Provides
    @Singleton
    static ConversationsMetrics conversationsMetrics(PrometheusMeterRegistry registry) {
        return new MicrometerConversationsMetrics(registry);
    }

    /** Standalone keeps presence in memory; a cluster shares it in Redis. */
    @Provides
    @Singleton
    static PresenceRegistry presenceRegistry(RelaymeshConfig config, Provider<RedisConnections> redis) {
        return config.standalone() ? new InMemoryPresenceRegistry() : new RedisPresenceRegistry(redis.get());
    }

    @Provides
    @Singleton
    static Conversations conversations(DialectSessions sessions, PresenceRegistry registry, ConversationsSettings settings,
                                       ConversationsMetrics metrics, Clock clock, ConnectionHub hub) {
        Conversations conversations = new Conversations(sessions,
                new Presence(registry, sessions, clock, settings, metrics), settings, new ConversationFrames(),
                metrics, clock);
        hub.addListener(conversations);
        return conversations;
    }

    @Provides
    @ElementsIntoSet
    static Set<Dialect> conversationsDialect(RelaymeshConfig config, Provider<Conversations> conversations,
                                             Provider<ConversationsSettings> settings,
                                             Settings<JwtVerifier> jwt, Provider<DialectSessions> sessions,
                                             Provider<RedisConnections> redis, Provider<ConversationsMetrics> metrics) {
        ConversationsDialectConfig c = section(config);
        if (!c.enabled()) {
            return Set.of();
        }
        Conversations useCase = conversations.get();
        return Set.of(new ConversationsDialect(c.path(), settings.get(), new ChatAuthentication(jwt, settings.get()),
                useCase, sessions::get, () -> pubSub(config, redis, useCase, metrics.get())));
    }

    /** The seed backend's channels, when enabled and Redis is there; else nothing to close. */
    private static AutoCloseable pubSub(RelaymeshConfig config, Provider<RedisConnections> redis,
                                        Conversations conversations, ConversationsMetrics metrics) {
        ConversationsDialectConfig c = section(config);
        if (!c.redisPubsubEnabled()) {
            return () -> { };
        }
        if (config.standalone()) {
            org.slf4j.LoggerFactory.getLogger(ConversationsDialectModule.class).warn(
                    "dialects.conversations.redis_pubsub_enabled is true but redis.address is not set: "
                            + "no Pub/Sub ingestion in standalone mode");
            return () -> { };
        }
        return RedisPubSubIngest.start(redis.get(), List.of("ws:conv:*", "ws:user:*"), c.redisPubsubDedup(),
                (channel, frame) -> {
                    String problem = conversations.ingest(channel, frame);
                    if (problem != null) {
                        metrics.pubSub("invalid");
                        org.slf4j.LoggerFactory.getLogger(ConversationsDialectModule.class)
                                .warn("pub/sub message on {} dropped: {}", channel, problem);
                    }
                }, metrics::pubSub);
    }

    /** Backends publish {@code conversations.{id}} (a message object) and {@code users.{id}} (a whole frame). */
    @Provides
    @ElementsIntoSet
    static Set<SubjectBinding> conversationsSubjects(RelaymeshConfig config) {
        if (!section(config).enabled()) {
            return Set.of();
        }
        return Set.of(
                new SubjectBinding("conversations", SubjectBinding.Stream.DIALECTS, "conversations.{conversation_id}",
                        List.of("conv:{conversation_id}"), SubjectBinding.Start.ALL),
                new SubjectBinding("conversation_users", SubjectBinding.Stream.DIALECTS, "users.{user_id}",
                        List.of("user:{user_id}"), SubjectBinding.Start.ALL));
    }

    @Provides
    @ElementsIntoSet
    static Set<HttpService> conversationsHttp(RelaymeshConfig config) {
        return section(config).enabled() ? Set.of(new ConversationsRootService()) : Set.of();
    }
}
