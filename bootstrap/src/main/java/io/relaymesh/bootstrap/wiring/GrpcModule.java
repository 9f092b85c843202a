package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.grpc.DeliveryServerListener;
import io.relaymesh.adapters.grpc.ForwarderListener;
import io.relaymesh.adapters.grpc.GrpcPodForwarder;
import io.relaymesh.adapters.grpc.GrpcSettings;
import io.relaymesh.adapters.grpc.LocalDelivery;
import io.relaymesh.adapters.grpc.PodSecurity;
import io.relaymesh.adapters.web.LogContext;
import io.relaymesh.adapters.web.ws.WriterSettings;
import io.relaymesh.application.settings.Settings;
import io.relaymesh.application.delivery.EventDelivery;
import io.relaymesh.application.stats.PodActivity;
import io.relaymesh.bootstrap.config.PodAuthConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.domain.model.Envelope;
import io.relaymesh.domain.port.PodDirectory;
import io.relaymesh.domain.port.PodForwarder;

import javax.inject.Provider;
import javax.inject.Singleton;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Pod-to-pod delivery over gRPC (cluster mode). */
@Module
public interface GrpcModule {

    @Provides
    @Singleton
    static GrpcSettings grpcSettings() {
        return GrpcSettings.defaults();
    }

    @Provides
    @Singleton
    static ForwarderListener forwarderListener(PrometheusMeterRegistry registry, PodActivity activity) {
        return new MicrometerForwarderListener(registry, activity);
    }

    @Provides
    @Singleton
    static GrpcPodForwarder grpcPodForwarder(PodDirectory pods, RuntimeFacts facts, GrpcSettings settings,
                                             ForwarderListener listener, PodSecurity security) {
        return new GrpcPodForwarder(pods, facts.podId(), settings, listener, security);
    }

    /** How this pod and its peers prove they belong to the cluster, from {@code server.cluster_secret} etc. */
    @Provides
    @Singleton
    static PodSecurity podSecurity(RelaymeshConfig config) {
        PodAuthConfig pods = config.server().podAuth();
        PodSecurity.Tls tls = pods.tls()
                ? new PodSecurity.Tls(Path.of(pods.tlsCertFile()), Path.of(pods.tlsKeyFile()), Path.of(pods.tlsCaFile()))
                : null;
        return new PodSecurity(pods.clusterSecret(), pods.previousClusterSecret(), tls);
    }

    /** Refused pod-to-pod calls and events, as {@code relaymesh_grpc_unauthenticated_total} and friends. */
    @Provides
    @Singleton
    static DeliveryServerListener deliveryServerListener(PrometheusMeterRegistry registry) {
        return new MicrometerDeliveryServerListener(registry);
    }

    /**
     * Forwarded envelopes go to {@link ForwardedDelivery}. Queueing never waits under the
     * drop_oldest policy, so those calls run on the gRPC transport thread; under block it may wait
     * for room, so they run on virtual threads (see {@link LocalDelivery#mayBlock()}).
     */
    @Provides
    @Singleton
    static LocalDelivery localDelivery(EventDelivery delivery, Settings<WriterSettings> writer) {
        io.relaymesh.application.delivery.ForwardedDelivery forwarded =
                new io.relaymesh.application.delivery.ForwardedDelivery(delivery, RECENT_FORWARDED_IDS);
        return new LocalDelivery() {
            @Override
            public Set<String> deliver(List<Envelope> events) {
                return forwarded.deliver(events);
            }

            @Override
            public boolean mayBlock() {
                return !writer.get().dropOldest();
            }
        };
    }

    /** How many forwarded event ids a pod remembers to drop a retried forward's duplicate. */
    int RECENT_FORWARDED_IDS = 20_000;
}
