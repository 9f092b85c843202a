package io.relaymesh.application.dialect.mailbox;

/**
 * The mailbox's limits and policy (config {@code dialects.mailbox.*}).
 *
 * @param maxTtlSeconds    a message's time to live is capped at this; a missing or zero TTL gets it
 * @param maxPayloadBytes  largest decoded payload accepted
 * @param defaultPullLimit messages a {@code pull} without a limit returns
 * @param maxPullLimit     most messages one {@code pull} (or the replay after {@code hello}) returns
 * @param requireToken     whether {@code hello} must carry a JWT whose subject is the wayfarer id
 * @param sweepBatch       expired messages removed per store call by the sweeper
 */
public record MailboxSettings(long maxTtlSeconds, int maxPayloadBytes, int defaultPullLimit, int maxPullLimit,
                              boolean requireToken, int sweepBatch) {
    public MailboxSettings {
        if (maxTtlSeconds < 1 || maxPayloadBytes < 1 || maxPullLimit < 1 || sweepBatch < 1) {
            throw new IllegalArgumentException("mailbox limits must be positive");
        }
        if (defaultPullLimit < 1 || defaultPullLimit > maxPullLimit) {
            throw new IllegalArgumentException("the default pull limit must be between 1 and " + maxPullLimit);
        }
    }
}
