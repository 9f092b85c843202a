package io.relaymesh.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.adapters.nats.JetStreamBacklog;
import io.relaymesh.adapters.nats.JetStreamEventPublisher;
import io.relaymesh.adapters.nats.JetStreamEventSource;
import io.relaymesh.adapters.nats.JetStreamProvisioner;
import io.relaymesh.adapters.nats.NatsAuth;
import io.relaymesh.adapters.nats.NatsConnections;
import io.relaymesh.adapters.nats.NatsSettings;
import io.relaymesh.bootstrap.config.NatsConfig;
import io.relaymesh.bootstrap.config.RelaymeshConfig;
import io.relaymesh.bootstrap.tls.ClientTlsContexts;

import javax.inject.Singleton;
import java.nio.file.Path;

/** NATS JetStream (cluster mode): connection, provisioning, the inbound source and the publisher. */
@Module
public interface NatsModule {

    @Provides
    @Singleton
    static NatsSettings natsSettings(RelaymeshConfig config) {
        NatsConfig nats = config.nats();
        NatsSettings.Builder settings = NatsSettings.builder(nats.url())
                .streamName(nats.streamName())
                .consumerName(nats.consumerName())
                .retryOnFailedConnect(nats.retryOnFailedConnect())
                .ackWait(nats.ackWait())
                .maxDeliver(nats.maxDeliver())
                .maxInFlight(nats.maxInFlight())
                .streamMaxAge(nats.streamMaxAge())
                .streamMaxBytes(nats.streamMaxBytes())
                // Bounded so a stop (consumption first, then sockets) stays well within 10 s.
                .drainTimeout(java.time.Duration.ofSeconds(3))
                .auth(auth(nats));
        // tls:// gets our context too (the JVM's CAs when no file is given), so that host names are
        // verified; an allowed opentls:// without files keeps jnats' trust-everything context.
        if (nats.tls().anyFile() || NatsConfig.usesVerifiedTls(nats.url())) {
            settings.tls(ClientTlsContexts.of("nats", nats.tls()));
        }
        return settings.build();
    }

    private static NatsAuth auth(NatsConfig nats) {
        if (!nats.credsFile().isEmpty()) {
            return new NatsAuth.CredsFile(Path.of(nats.credsFile()));
        }
        if (!nats.nkeyFile().isEmpty()) {
            return new NatsAuth.NkeySeedFile(Path.of(nats.nkeyFile()));
        }
        return new NatsAuth.UrlOnly();
    }

    @Provides
    @Singleton
    static NatsConnections natsConnections(NatsSettings settings) {
        return NatsConnections.connect(settings);
    }

    /** The primary stream and, when a dialect has inbound subjects, the dialects' stream. */
    @Provides
    @Singleton
    static io.relaymesh.adapters.nats.JetStreams streams(NatsConnections nats,
                                                         io.relaymesh.domain.model.SubjectBindings bindings,
                                                         io.relaymesh.application.metrics.GatewayMetrics metrics) {
        return new io.relaymesh.adapters.nats.JetStreams(nats, bindings, reason -> metrics.eventTerminated());
    }

    @Provides
    static ClusterParts clusterParts(io.relaymesh.adapters.redis.RedisConnections redis,
                                     io.relaymesh.adapters.redis.RedisKillSwitch killSwitch, NatsConnections nats,
                                     io.relaymesh.adapters.nats.JetStreams streams,
                                     io.relaymesh.application.delivery.ClusterDelivery delivery,
                                     io.relaymesh.adapters.grpc.GrpcPodForwarder forwarder,
                                     io.relaymesh.adapters.grpc.GrpcSettings grpcSettings,
                                     io.relaymesh.adapters.grpc.LocalDelivery localDelivery,
                                     JetStreamBacklog backlog,
                                     io.relaymesh.adapters.grpc.PodSecurity podSecurity,
                                     io.relaymesh.adapters.grpc.DeliveryServerListener grpcServerListener) {
        return new ClusterParts(redis, killSwitch, nats, streams, delivery, forwarder, grpcSettings,
                localDelivery, backlog, podSecurity, grpcServerListener);
    }

    /**
     * The consumers' backlog as gauges; {@code ClusterNode} starts the reads. Every pod reports the
     * same shared consumers: aggregate with max. Empty (NaN) while the consumer info cannot be read.
     */
    @Provides
    @Singleton
    static JetStreamBacklog backlog(NatsConnections nats, io.relaymesh.adapters.nats.JetStreams streams,
                                    PrometheusMeterRegistry registry) {
        JetStreamBacklog backlog = new JetStreamBacklog(nats, streams.primary().kinds());
        for (String consumer : backlog.consumers()) {
            Gauge.builder("relaymesh_jetstream_pending_messages", backlog,
                            b -> b.of(consumer).map(x -> (double) x.pending()).orElse(Double.NaN))
                    .tag("consumer", consumer)
                    .description("Messages in the stream this JetStream consumer has not delivered yet (num_pending)")
                    .register(registry);
            Gauge.builder("relaymesh_jetstream_ack_pending_messages", backlog,
                            b -> b.of(consumer).map(x -> (double) x.ackPending()).orElse(Double.NaN))
                    .tag("consumer", consumer)
                    .description("Messages this JetStream consumer delivered that are not settled yet (num_ack_pending)")
                    .register(registry);
        }
        return backlog;
    }

    @Provides
    @Singleton
    static JetStreamEventPublisher eventPublisher(NatsConnections nats, io.relaymesh.adapters.nats.JetStreams streams) {
        return new JetStreamEventPublisher(nats, streams::streamOf);
    }
}
