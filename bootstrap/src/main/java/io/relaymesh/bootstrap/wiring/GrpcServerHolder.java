package io.relaymesh.bootstrap.wiring;

import io.relaymesh.adapters.grpc.GrpcDeliveryServer;

import javax.inject.Inject;
import javax.inject.Singleton;

/** The running gRPC server (set when cluster mode starts it), for the readiness check. Thread-safe. */
@Singleton
public final class GrpcServerHolder {
    private volatile GrpcDeliveryServer server;

    @Inject
    public GrpcServerHolder() {
    }

    public void set(GrpcDeliveryServer server) {
        this.server = server;
    }

    /** The running server, or null before cluster mode starts one. */
    public GrpcDeliveryServer current() {
        return server;
    }

    /** Null when serving, else why not. */
    public String problem() {
        GrpcDeliveryServer current = server;
        if (current == null) {
            return "the gRPC server is not started";
        }
        return current.isServing() ? null : "the gRPC server is not serving";
    }
}
