package io.relaymesh.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.web.WebEdge;
import io.relaymesh.adapters.web.http.HealthState;
import io.relaymesh.adapters.web.ws.ConnectionTracker;
import io.relaymesh.application.connection.ConnectionHub;
import io.relaymesh.application.connection.Gateway;
import io.relaymesh.application.connection.SessionManager;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.port.KillSwitch;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.RouteRegistry;
import io.relaymesh.domain.port.SessionLocks;

import javax.inject.Singleton;

/** The one component: standalone wiring (in-memory state). */
@Singleton
@Component(modules = {CoreModule.class, MemoryModule.class, CryptoModule.class, WebModule.class})
public interface RelaymeshComponent {
    WebEdge webEdge();

    Gateway gateway();

    SessionManager sessionManager();

    ConnectionHub hub();

    ConnectionTracker tracker();

    RouteRegistry routeRegistry();

    SessionLocks sessionLocks();

    KillSwitch killSwitch();

    PodDirectory podDirectory();

    HealthState health();

    PrometheusMeterRegistry meterRegistry();

    RelaymeshConfig config();

    RuntimeFacts facts();

    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder config(RelaymeshConfig config);

        @BindsInstance
        Builder facts(RuntimeFacts facts);

        RelaymeshComponent build();
    }
}
