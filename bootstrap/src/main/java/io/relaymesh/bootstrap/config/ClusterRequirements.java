package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import java.util.List;
import java.util.Map;

/**
 * What cluster mode needs beyond standalone: both Redis and NATS, and auth keys given explicitly,
 * because every pod must accept the tokens and API keys of every other pod.
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
    }
}
