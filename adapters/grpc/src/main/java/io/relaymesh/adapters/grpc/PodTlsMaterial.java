package io.relaymesh.adapters.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.relaymesh.domain.error.PortUnavailableException;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This pod's certificate and the cluster CA for mutual TLS between pods, read from PEM files and
 * read again every {@value #RELOAD_SECONDS} s when they changed, so renewed certificates take
 * effect without a restart (new connections use them; open ones keep theirs).
 *
 * <p>Both sides check only that the peer's chain ends at the cluster CA, not the host name: pods
 * dial each other by the address they advertise (often a pod IP that no certificate names), and a
 * CA dedicated to the cluster already means "a pod of this cluster". Thread-safe.
 */
final class PodTlsMaterial implements AutoCloseable {
    static final long RELOAD_SECONDS = 30;

    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager trust;
    private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("relaymesh-grpc-tls-reload").factory());
    private final AdvancedTlsX509KeyManager.Closeable keyWatch;
    private final AdvancedTlsX509TrustManager.Closeable trustWatch;

    /** @throws PortUnavailableException naming the file when one cannot be read */
    PodTlsMaterial(PodSecurity.Tls files) {
        try {
            trust = AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
            keyWatch = keys.updateIdentityCredentials(files.certFile().toFile(), files.keyFile().toFile(),
                    RELOAD_SECONDS, TimeUnit.SECONDS, reloader);
            trustWatch = trust.updateTrustCredentials(files.caFile().toFile(), RELOAD_SECONDS, TimeUnit.SECONDS,
                    reloader);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            reloader.shutdownNow();
            throw new PortUnavailableException("grpc", "cannot read the pod-to-pod TLS files (certificate "
                    + files.certFile() + ", key " + files.keyFile() + ", CA " + files.caFile() + "): " + e.getMessage(), e);
        }
    }

    /** The server side: presents this pod's certificate and requires one signed by the CA. */
    ServerCredentials serverCredentials() {
        return TlsServerCredentials.newBuilder().keyManager(keys).trustManager(trust)
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
    }

    /** The client side: presents this pod's certificate and accepts only servers signed by the CA. */
    ChannelCredentials channelCredentials() {
        return TlsChannelCredentials.newBuilder().keyManager(keys).trustManager(trust).build();
    }

    @Override
    public void close() {
        keyWatch.close();
        trustWatch.close();
        reloader.shutdownNow();
    }
}
