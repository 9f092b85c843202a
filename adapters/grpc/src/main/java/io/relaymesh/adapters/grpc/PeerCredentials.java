package io.relaymesh.adapters.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;

/**
 * What this pod presents when it calls a peer: its certificate (mutual TLS) and the cluster secret
 * on every call, as {@link PodSecurity} says. Shared by every peer channel. Thread-safe.
 */
final class PeerCredentials implements AutoCloseable {
    private final PodTlsMaterial tls;
    private final ChannelCredentials credentials;

    PeerCredentials(PodSecurity security) {
        this.tls = security.tls() == null ? null : new PodTlsMaterial(security.tls());
        ChannelCredentials channel = tls == null ? InsecureChannelCredentials.create() : tls.channelCredentials();
        this.credentials = security.requiresSecret()
                ? CompositeChannelCredentials.create(channel, new ClusterSecretCredentials(security.clusterSecret()))
                : channel;
    }

    /** For {@code Grpc.newChannelBuilder}. */
    ChannelCredentials channelCredentials() {
        return credentials;
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
    }
}
