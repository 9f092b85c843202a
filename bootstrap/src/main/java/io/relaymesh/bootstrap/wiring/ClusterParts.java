package io.relaymesh.bootstrap.wiring;

import io.relaymesh.adapters.grpc.DeliveryServerListener;
import io.relaymesh.adapters.grpc.GrpcDeliveryServer;
import io.relaymesh.adapters.grpc.GrpcPodForwarder;
import io.relaymesh.adapters.grpc.GrpcSettings;
import io.relaymesh.adapters.grpc.LocalDelivery;
import io.relaymesh.adapters.grpc.PodSecurity;
import io.relaymesh.adapters.nats.JetStreamBacklog;
import io.relaymesh.adapters.nats.JetStreamEventSource;
import io.relaymesh.adapters.nats.JetStreamProvisioner;
import io.relaymesh.adapters.nats.NatsConnections;
import io.relaymesh.adapters.redis.RedisConnections;
import io.relaymesh.adapters.redis.RedisKillSwitch;
import io.relaymesh.application.delivery.ClusterDelivery;

/** The objects only cluster mode has, for the lifecycle in {@code ClusterNode} to start and stop. */
public record ClusterParts(RedisConnections redis, RedisKillSwitch killSwitch, NatsConnections nats,
                          io.relaymesh.adapters.nats.JetStreams streams, ClusterDelivery delivery, GrpcPodForwarder forwarder,
                          GrpcSettings grpcSettings, LocalDelivery localDelivery, JetStreamBacklog backlog,
                          PodSecurity podSecurity, DeliveryServerListener grpcServerListener) {

    /**
     * Starts this pod's delivery server on {@code port} (0 = any free port), authenticating callers;
     * a peer that opens its stream here gets one from this pod's forwarder at once.
     */
    public GrpcDeliveryServer startGrpcServer(int port) {
        return GrpcDeliveryServer.start(port, localDelivery, grpcSettings, podSecurity, grpcServerListener,
                forwarder::peerReachedUs);
    }
}
