package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.Multibinds;
import io.relaymesh.adapters.web.dialect.DialectEndpoints;
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

    /** The dialects' own listeners (none is fine). */
    @Multibinds
    Set<io.relaymesh.adapters.web.dialect.DedicatedListener> dedicatedListeners();

    /** Work the dialects need done periodically (none is fine). */
    @Multibinds
    Set<PeriodicTask> periodicTasks();

    /** What the dialects finish when the gateway stops, before it leaves the cluster (none is fine). */
    @Multibinds
    Set<ShutdownStep> shutdownSteps();

    /** Settings of the dialects that a reload replaces (none is fine). */
    @Multibinds
    Set<ConfigFollower> configFollowers();

    @Provides
    @Singleton
    static DialectSessions dialectSessions(Gateway gateway, ConnectionHub hub, Delivery delivery) {
        return new DialectSessions(gateway, hub, delivery);
    }

    @Provides
    @Singleton
    static DialectEndpoints dialectEndpoints(Set<Dialect> dialects, DialectSessions sessions,
                                             Set<io.relaymesh.adapters.web.dialect.DedicatedListener> listeners) {
        return new DialectEndpoints(dialects.stream().sorted(Comparator.comparing(Dialect::name)).toList(), sessions,
                listeners.stream().sorted(Comparator.comparing(io.relaymesh.adapters.web.dialect.DedicatedListener::name))
                        .toList());
    }
}
