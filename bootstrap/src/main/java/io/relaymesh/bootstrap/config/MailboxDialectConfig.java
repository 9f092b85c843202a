package io.relaymesh.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The mailbox dialect (aethos-relay, seed 000), {@code dialects.mailbox.*}; the seed's flags
 * {@code --max-ttl-seconds}, {@code --sweep-interval} and {@code --store-path} map onto
 * {@code max_ttl_seconds}, {@code sweep_interval_seconds} and {@code store_path}.
 *
 * @param enabled          whether the dialect is served at all
 * @param path             its own WebSocket path (it also answers a first frame {@code hello} on {@code /ws})
 * @param maxTtlSeconds    cap on a message's {@code ttl_seconds} (and the TTL of one sent without)
 * @param sweepInterval    how often expired messages are removed
 * @param storePath        the standalone store's file (created on first run); unused in a cluster
 * @param requireToken     whether {@code hello} must carry a JWT whose subject is the wayfarer id
 * @param maxPayloadBytes  largest decoded {@code payload_b64}
 * @param defaultPullLimit messages a {@code pull} without {@code limit} returns
 * @param maxPullLimit     most messages a {@code pull} (or the replay after {@code hello_ok}) returns
 */
public record MailboxDialectConfig(boolean enabled, String path, int maxTtlSeconds, Duration sweepInterval,
                                   String storePath, boolean requireToken, int maxPayloadBytes, int defaultPullLimit,
                                   int maxPullLimit) {
    public static final MailboxDialectConfig DEFAULTS = new MailboxDialectConfig(true, "/mailbox/ws", 604_800,
            Duration.ofSeconds(30), "mailbox.db", true, 32_768, 50, 500);

    public MailboxDialectConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(storePath, "storePath");
    }
}
