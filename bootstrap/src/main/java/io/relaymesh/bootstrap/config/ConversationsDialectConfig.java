package io.relaymesh.bootstrap.config;

import java.time.Duration;

/**
 * The conversations dialect's section, {@code dialects.conversations.*} (docs/dialects/conversations.md).
 *
 * @param enabled              whether the dialect is served at all
 * @param path                 its explicit WebSocket path
 * @param typingExpiry         a typing indicator ends this long after its last renewal
 * @param presenceExpiry       a vanished connection counts as online this long after its last heartbeat
 * @param idleTimeout          a connection with no client frame for this long is closed
 * @param maxMessageBytes      largest client frame
 * @param authTimeout          the auth frame must arrive within this
 * @param redisPubsubEnabled   whether to ingest the seed backend's Redis Pub/Sub channels (cluster only)
 * @param redisPubsubDedup     how long a Pub/Sub message's claim is kept (identical messages within it count once)
 * @param conversationsClaim   the JWT claim listing the conversations a user may join
 * @param allowWithoutClaim    whether a token without that claim may join any conversation (seed behaviour, unsafe)
 */
public record ConversationsDialectConfig(boolean enabled, String path, Duration typingExpiry, Duration presenceExpiry,
                                         Duration idleTimeout, int maxMessageBytes, Duration authTimeout,
                                         boolean redisPubsubEnabled, Duration redisPubsubDedup,
                                         String conversationsClaim, boolean allowWithoutClaim) {
}
