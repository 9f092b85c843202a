package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import io.relaymesh.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revocation is cluster-wide: a token revoked through one pod is refused by another (the list is in
 * the real Redis both pods share), for AES tokens and JWTs alike, even after the other pod cached
 * the token's claims.
 */
@ExtendWith(RealServices.class)
class ClusterRevocationIT {
    private static RedisServer redis;
    private static NatsServer nats;
    private static GatewayHarness a;
    private static GatewayHarness b;

    @BeforeAll
    static void start() {
        redis = RealServices.newRedis();
        nats = RealServices.newNats();
        Map<String, String> jwt = Map.of("RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET);
        a = GatewayHarness.pod("rev-pod-a", redis.address(), nats.url(), jwt);
        b = GatewayHarness.pod("rev-pod-b", redis.address(), nats.url(), jwt);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (nats != null) {
            nats.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aesTokenRevokedOnOnePod_isRefusedByTheOther() {
        String token = a.userToken("acme", "support", "alice", 600);
        try (WsClient onB = WsClient.connect(b.userUri("acme", "support", token))) {
            onB.expectReady();
        }

        HttpResponse<String> revoked = a.post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY,
                "{\"token\":\"" + token + "\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());

        try (WsClient again = WsClient.connect(b.userUri("acme", "support", token))) {
            JsonNode error = again.expectErrorAndClose("InvalidToken", 4403);
            assertTrue(error.toString().contains("revoked"), error.toString());
        }
    }

    @Test
    void jwtRevokedByIdOnOnePod_isRefusedByTheOther() {
        String token = JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "support", "bob").jwtID("jwt-bob-1"));
        try (WsClient onA = WsClient.connect(a.userUri("acme", "support", token))) {
            onA.expectReady();
        }

        HttpResponse<String> revoked = b.post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY,
                "{\"jti\":\"jwt-bob-1\",\"expires_at\":" + (System.currentTimeMillis() / 1000 + 3600) + "}");
        assertEquals(200, revoked.statusCode(), revoked.body());

        try (WsClient again = WsClient.connect(a.userUri("acme", "support", token))) {
            JsonNode error = again.expectErrorAndClose("InvalidToken", 4403);
            assertTrue(error.toString().contains("revoked"), error.toString());
        }
    }
}
