package io.relaymesh.application.fakes;

import io.relaymesh.application.settings.GatewaySettings;

import java.time.Duration;
import java.util.function.UnaryOperator;

/** Changes of one setting at a time, for {@link Cluster#configure}. */
public final class TestSettings {
    private TestSettings() {
    }

    public static UnaryOperator<GatewaySettings> takeoverTimeout(Duration timeout) {
        return s -> new GatewaySettings(s.sessionTtl(), s.routeTtl(), s.refreshInterval(), timeout, s.maxTokenTtl(),
                s.defaultTokenTtl(), s.tokenCacheTtl(), s.messagesPerSecond(), s.messageBurst());
    }

    public static UnaryOperator<GatewaySettings> messageRate(int perSecond, int burst) {
        return s -> new GatewaySettings(s.sessionTtl(), s.routeTtl(), s.refreshInterval(), s.takeoverTimeout(),
                s.maxTokenTtl(), s.defaultTokenTtl(), s.tokenCacheTtl(), perSecond, burst);
    }

    public static UnaryOperator<GatewaySettings> tokenCacheTtl(Duration ttl) {
        return s -> new GatewaySettings(s.sessionTtl(), s.routeTtl(), s.refreshInterval(), s.takeoverTimeout(),
                s.maxTokenTtl(), s.defaultTokenTtl(), ttl, s.messagesPerSecond(), s.messageBurst());
    }

    public static UnaryOperator<GatewaySettings> tokenTtls(Duration defaultTtl, Duration maxTtl) {
        return s -> new GatewaySettings(s.sessionTtl(), s.routeTtl(), s.refreshInterval(), s.takeoverTimeout(),
                maxTtl, defaultTtl, s.tokenCacheTtl(), s.messagesPerSecond(), s.messageBurst());
    }

    public static UnaryOperator<GatewaySettings> adaptive(io.relaymesh.application.settings.AdaptiveTtl sessions,
                                                          io.relaymesh.application.settings.AdaptiveTtl routes) {
        return s -> new GatewaySettings(s.sessionTtl(), s.routeTtl(), s.refreshInterval(), s.takeoverTimeout(),
                s.maxTokenTtl(), s.defaultTokenTtl(), s.tokenCacheTtl(), s.messagesPerSecond(), s.messageBurst(),
                sessions, routes);
    }
}
