package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.Multibinds;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.web.dialect.DialectEndpoints;
import io.relaymesh.adapters.web.dialect.DialectMeters;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.delivery.ClusterDelivery;
import io.relaymesh.application.delivery.Delivery;
import io.relaymesh.application.delivery.EventDelivery;
import io.relaymesh.application.dialect.Dialect;
import io.relaymesh.application.dialect.DialectSessions;
import io.relaymesh.bootstrap.config.RelaymeshConfig;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What every dialect shares: the sets they register into (a dialect's own module adds its dialect,
 * and any listener, periodic task, shutdown step or reloadable settings of its own; none is fine), their sessions
 * use case, the one delivery path and their endpoints.
 */
@Module
public interface DialectsModule {

    @Multibinds
    Set<Dialect> dialects();

    /** What dialects do with backends' envelopes before delivery (a mailbox stores them); none is fine. */
    @Multibinds
    Set<io.relaymesh.application.dialect.Intake> intakeSet();

    /** HTTP routes a dialect's seed clients expect (e.g. the mailbox's {@code /healthz}); none is fine. */
    @Multibinds
    Set<io.helidon.webserver.http.HttpService> dialectHttpServices();

    /** The dialects' own listeners (e.g. the rooms' TLS port); none is fine. */
    @Multibinds
    Set<io.relaymesh.adapters.web.dialect.DedicatedListener> dedicatedListeners();

    /** Settings of the dialects that a reload replaces (e.g. the rooms' limits); none is fine. */
    @Multibinds
    Set<ConfigFollower> configFollowers();

    @Provides
    @Singleton
    static io.relaymesh.application.dialect.Intakes intakes(Set<io.relaymesh.application.dialect.Intake> intakes) {
        return new io.relaymesh.application.dialect.Intakes(java.util.List.copyOf(intakes));
    }

    @Provides
    @Singleton
    static DialectSessions dialectSessions(Gateway gateway, ConnectionHub hub, Delivery delivery) {
        return new DialectSessions(gateway, hub, delivery);
    }

    @Provides
    @Singleton
    static DialectEndpoints dialectEndpoints(Set<Dialect> dialects, DialectSessions sessions,
                                             PrometheusMeterRegistry registry,
                                             Set<io.relaymesh.adapters.web.dialect.DedicatedListener> listeners) {
        List<Dialect> sorted = dialects.stream().sorted(Comparator.comparing(Dialect::name)).toList();
        return new DialectEndpoints(sorted, sessions,
                new DialectMeters(registry, sorted.stream().map(Dialect::name).toList()),
                listeners.stream().sorted(Comparator.comparing(io.relaymesh.adapters.web.dialect.DedicatedListener::name))
                        .toList());
    }
}
