package io.relaymesh.adapters.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.util.concurrent.Executor;

/**
 * Sends the cluster secret with every stream and call, as the {@value #HEADER} header that
 * {@link ClusterSecretInterceptor} checks on the receiving pod. Over plaintext the secret is
 * visible to whoever can read the pod network; configure mutual TLS where that is not trusted.
 * Thread-safe (immutable).
 */
final class ClusterSecretCredentials extends CallCredentials {
    static final String HEADER = "relaymesh-cluster-secret";
    static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final String secret;

    ClusterSecretCredentials(String secret) {
        this.secret = secret;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(KEY, secret);
        applier.apply(headers);
    }

    @Override
    public String toString() {
        return "ClusterSecretCredentials[(" + secret.length() + " chars)]";
    }
}
