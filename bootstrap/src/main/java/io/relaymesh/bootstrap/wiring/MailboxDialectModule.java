package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.mvstore.MvStoreMailboxStore;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisMailboxStore;
import io.relaymesh.adapters.web.dialect.mailbox.MailboxDialect;
import io.relaymesh.adapters.web.dialect.mailbox.MailboxHealthService;
import io.relaymesh.adapters.web.dialect.mailbox.MailboxIntake;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.application.dialect.Intake;
import io.relaymesh.application.dialect.mailbox.Mailbox;
import io.relaymesh.application.dialect.mailbox.MailboxSettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.bootstrap.config.MailboxDialectConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.mailbox.MailboxStore;
import io.relaymesh.domain.model.SubjectBinding;
import io.relaymesh.domain.port.Clock;
import io.relaymesh.domain.port.IdGenerator;
import io.relaymesh.domain.port.JwtVerifier;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.nio.file.Path;
import java.util.Set;

/**
 * The mailbox dialect (aethos-relay, seed 000), the whole of its wiring: its dialect on
 * {@code dialects.mailbox.path} and {@code /ws} (first frame {@code hello}), its backend subject
 * {@code mailbox.{wayfarer_id}}, its store (a file in standalone mode, Redis in a cluster), its
 * sweeper, {@code /healthz} and the seed's metrics. With {@code dialects.mailbox.enabled: false}
 * it contributes nothing (and opens no store).
 */
@Module
public interface MailboxDialectModule {

    @Provides
    @ElementsIntoSet
    static Set<Dialect> mailboxDialect(RelaymeshConfig config, Provider<Mailbox> mailbox,
                                       Provider<DialectSessions> sessions) {
        MailboxDialectConfig mailboxConfig = config.dialects().mailbox();
        if (!mailboxConfig.enabled()) {
            return Set.of();
        }
        Mailbox m = mailbox.get();
        return Set.of(new MailboxDialect(m, sessions::get, mailboxConfig.path(),
                new MailboxSweeper(m, mailboxConfig.sweepInterval())));
    }

    @Provides
    @ElementsIntoSet
    static Set<SubjectBinding> mailboxSubjects(RelaymeshConfig config) {
        return config.dialects().mailbox().enabled() ? Set.of(MailboxIntake.BINDING) : Set.of();
    }

    @Provides
    @ElementsIntoSet
    static Set<Intake> mailboxIntake(RelaymeshConfig config, Provider<Mailbox> mailbox) {
        return config.dialects().mailbox().enabled() ? Set.of(new MailboxIntake(mailbox.get())) : Set.of();
    }

    @Provides
    @ElementsIntoSet
    static Set<HttpService> mailboxHealth(RelaymeshConfig config, Provider<Mailbox> mailbox) {
        return config.dialects().mailbox().enabled() ? Set.of(new MailboxHealthService(mailbox.get())) : Set.of();
    }

    @Provides
    @Singleton
    static Mailbox mailbox(RelaymeshConfig config, Provider<RedisConnections> redis, Delivery delivery, Clock clock,
                           IdGenerator ids, Settings<JwtVerifier> jwt, PrometheusMeterRegistry registry) {
        MailboxDialectConfig c = config.dialects().mailbox();
        MailboxSettings settings = new MailboxSettings(c.maxTtlSeconds(), c.maxPayloadBytes(), c.defaultPullLimit(),
                c.maxPullLimit(), c.requireToken(), 1000);
        MailboxStore store = config.standalone() ? new MvStoreMailboxStore(Path.of(c.storePath()))
                : new RedisMailboxStore(redis.get());
        Mailbox mailbox = new Mailbox(store, delivery, clock, ids, () -> settings, jwt, new MicrometerMailboxMetrics(registry));
        MicrometerMailboxMetrics.connections(registry, mailbox);
        return mailbox;
    }
}
