package io.relaymesh.adapters.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The {@value #HEADER} request header with which a pod names itself when it opens its stream to a
 * peer. The receiving side copies it into the call's {@link Context} ({@link #CURRENT}), where
 * {@link StreamService} reads it; it is checked there, not trusted. Thread-safe (stateless).
 */
final class PodIdHeader implements ServerInterceptor {
    static final String HEADER = "relaymesh-pod-id";
    static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    /** The header's value in the current call, or null when it had none. */
    static final Context.Key<String> CURRENT = Context.key(HEADER);
    /**
     * A trailer with which a pod ends the streams of its peers because it is leaving (shutting
     * down), so that they wait to hear of it again rather than knock on its closed port.
     */
    static final Metadata.Key<String> LEAVING = Metadata.Key.of("relaymesh-leaving", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(CURRENT, headers.get(KEY)), call, headers, next);
    }

    /** Trailers saying that this pod is leaving. */
    static Metadata leaving() {
        Metadata trailers = new Metadata();
        trailers.put(LEAVING, "true");
        return trailers;
    }

    /** Headers naming {@code pod}, for a stream this pod opens. */
    static Metadata naming(String pod) {
        Metadata headers = new Metadata();
        headers.put(KEY, pod);
        return headers;
    }
}
