package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import java.util.List;
import java.util.Map;

/**
 * What cluster mode needs beyond standalone: both Redis and NATS, auth keys given explicitly,
 * because every pod must accept the tokens and API keys of every other pod, and a way for pods to
 * authenticate each other on the gRPC port (cluster secret or mutual TLS), because whoever reaches
 * that port can otherwise push events into any socket.
 */
final class ClusterRequirements {
    private ClusterRequirements() {
    }

    static void check(RelaymeshConfig config, RawValues raw) {
        if (config.standalone()) {
            return;
        }
        if (raw.valid(REDIS_ADDRESS, NATS_URL) && config.redis().enabled() != config.nats().enabled()) {
            String missing = config.redis().enabled() ? NATS_URL.path() : REDIS_ADDRESS.path();
            raw.reject("redis.address and nats.url: cluster mode needs both, but " + missing
                    + " is empty (set both for cluster mode, or neither for standalone mode)");
        }
        AuthConfig auth = config.auth();
        Map<ConfigKey, String> keys = Map.of(
                AUTH_SECRET_TOKEN, auth.secretToken(),
                AUTH_TOKEN_AES_KEY, auth.tokenAesKey(),
                AUTH_ADMIN_SECRET_TOKEN, auth.adminSecretToken(),
                AUTH_ADMIN_TOKEN_AES_KEY, auth.adminTokenAesKey());
        for (ConfigKey key : List.of(AUTH_SECRET_TOKEN, AUTH_TOKEN_AES_KEY, AUTH_ADMIN_SECRET_TOKEN,
                AUTH_ADMIN_TOKEN_AES_KEY)) {
            if (raw.valid(key) && keys.get(key).isEmpty()) {
                raw.reject(key, "must be set in cluster mode, to the same value on every pod (e.g. with "
                        + key.envVariable() + ")");
            }
        }
        PodAuthConfig pods = config.server().podAuth();
        if (raw.valid(SERVER_CLUSTER_SECRET, SERVER_GRPC_TLS_CERT_FILE, SERVER_GRPC_ALLOW_UNAUTHENTICATED)
                && !pods.authenticates() && !pods.allowUnauthenticated()) {
            raw.reject(SERVER_CLUSTER_SECRET, "must be set in cluster mode, to the same value on every pod (e.g. with "
                    + SERVER_CLUSTER_SECRET.envVariable() + "=$(openssl rand -hex 32)), unless the pods use mutual TLS"
                    + " (server.grpc_tls_cert_file, _key_file, _ca_file); server.grpc_allow_unauthenticated: true"
                    + " runs without either, letting anyone who reaches the gRPC port push events to clients");
        }
    }
}
