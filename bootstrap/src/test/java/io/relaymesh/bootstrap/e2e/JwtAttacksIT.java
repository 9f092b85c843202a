package io.relaymesh.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.relaymesh.bootstrap.e2e.GatewayHarness.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Standard tokens attacked on the built jar: JWTs that must be refused (bad signature, alg none,
 * HS256 signed with the RSA public key, expired, not yet valid, wrong audience or issuer, no exp, a
 * user token on the admin socket) are closed 4403 with an error naming the problem; good HS256,
 * RS256 and ES256 JWTs connect and receive events; revoked tokens (AES and JWT) are refused, even
 * when their claims are cached; a JWKS file rotated and reloaded with SIGHUP takes effect.
 */
class JwtAttacksIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RSAKey rsa;
    private static ECKey ec;
    private static Path jwksFile;
    private static JarProcess jar;

    @BeforeAll
    static void start() throws Exception {
        rsa = JwtTokens.rsaKey("rsa-1");
        ec = JwtTokens.ecKey("ec-1");
        jwksFile = Files.createTempFile("relaymesh-jwks", ".json");
        Files.writeString(jwksFile, JwtTokens.jwks(rsa, ec));
        int port = JarProcess.freePort();
        Map<String, String> env = new HashMap<>(JarProcess.keyedEnv(port));
        env.put("RELAYMESH_AUTH_JWT_SECRET", JwtTokens.SECRET);
        env.put("RELAYMESH_AUTH_JWKS_FILE", jwksFile.toString());
        env.put("RELAYMESH_AUTH_JWT_ISSUER", JwtTokens.ISSUER);
        env.put("RELAYMESH_AUTH_JWT_AUDIENCE", JwtTokens.AUDIENCE);
        env.put("RELAYMESH_AUTH_JWT_LEEWAY_SECONDS", "30");
        jar = JarProcess.start(port, env, 0).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (jar != null) {
            jar.close();
        }
        Files.deleteIfExists(jwksFile);
    }

    // --- accepted ---

    @Test
    void validHs256Jwt_connects_andReceivesEvents() {
        assertConnectsAndReceives("hs-user", JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "hs", "hs-user")),
                "acme", "hs");
    }

    @Test
    void validRs256JwtFromTheJwksFile_connects_andReceivesEvents() {
        assertConnectsAndReceives("rs-user", JwtTokens.rs256(rsa, JwtTokens.user("acme", "rs", "rs-user")), "acme", "rs");
    }

    @Test
    void validEs256JwtFromTheJwksFile_connects_andReceivesEvents() {
        assertConnectsAndReceives("es-user", JwtTokens.es256(ec, JwtTokens.user("acme", "es", "es-user")), "acme", "es");
    }

    @Test
    void adminJwt_opensAnAdminSocket_andReceivesAgentEvents() {
        String token = JwtTokens.rs256(rsa, JwtTokens.admin("jwt-admin").claim("subscribed_company_id", "acme"));
        try (WsClient admin = WsClient.connect(adminUri(token))) {
            admin.expectReady();
            publish("websocket.acme.support.agents", "evt-admin-jwt");
            assertEquals("evt-admin-jwt", admin.next().path("payload").path("event_id").asText());
        }
    }

    // --- refused ---

    @Test
    void jwtSignedWithAnotherSecret_isRefused() {
        assertRefused(JwtTokens.hs256("another-secret-that-is-long-enough-000000", JwtTokens.user("acme", "x", "u")),
                "signature");
    }

    @Test
    void unsignedJwtWithAlgNone_isRefused() {
        assertRefused(JwtTokens.unsigned(JwtTokens.user("acme", "x", "u")), "alg none");
    }

    @Test
    void hs256JwtSignedWithTheRsaPublicKey_isRefused_algorithmConfusion() throws Exception {
        // The classic: an HS256 "signature" keyed with the public key's bytes, which anyone can fetch.
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        assertRefused(JwtTokens.hs256(publicKey, JwtTokens.user("acme", "x", "u")), "signature");
    }

    @Test
    void jwtExpiredBeyondTheLeeway_isRefused() {
        Instant past = Instant.now().minusSeconds(120);
        assertRefused(JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "x", "u")
                .expirationTime(Date.from(past))), "expired");
    }

    @Test
    void jwtNotValidBeforeAMomentBeyondTheLeeway_isRefused() {
        Instant future = Instant.now().plusSeconds(600);
        assertRefused(JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "x", "u")
                .notBeforeTime(Date.from(future))), "not valid before");
    }

    @Test
    void jwtExpiredWithinTheLeeway_isStillAccepted() {
        Instant justPast = Instant.now().minusSeconds(5);
        String token = JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "leeway", "skewed")
                .expirationTime(Date.from(justPast)));
        try (WsClient client = WsClient.connect(userUri("acme", "leeway", token))) {
            client.expectReady();
        }
    }

    @Test
    void jwtForAnotherAudience_isRefused() {
        assertRefused(JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "x", "u").audience("someone-else")),
                "audience");
    }

    @Test
    void jwtFromAnotherIssuer_isRefused() {
        assertRefused(JwtTokens.rs256(rsa, JwtTokens.user("acme", "x", "u").issuer("https://evil.example")),
                "issuer");
    }

    @Test
    void jwtWithoutExpiry_isRefused() {
        assertRefused(JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "x", "u").expirationTime(null)),
                "exp");
    }

    @Test
    void jwtSignedByAKeyNotInTheJwksFile_isRefused() {
        assertRefused(JwtTokens.rs256(JwtTokens.rsaKey("rsa-1"), JwtTokens.user("acme", "x", "u")), "signature");
    }

    @Test
    void userJwt_cannotOpenAnAdminSocket() {
        String token = JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("acme", "x", "u"));
        try (WsClient client = WsClient.connect(adminUri(token))) {
            JsonNode error = client.expectErrorAndClose("InvalidToken", 4403);
            assertTrue(error.path("payload").path("message").asText().contains("not an admin token"), error.toString());
        }
    }

    @Test
    void adminJwt_cannotOpenAUserSocket() {
        String token = JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.admin("a1").claim("company_id", "acme")
                .claim("agent_id", "x"));
        assertRefused(token, "admin token");
    }

    @Test
    void jwtForAnotherCompany_isRefused() {
        String token = JwtTokens.hs256(JwtTokens.SECRET, JwtTokens.user("globex", "sales", "victim"));
        assertRefused(token, "globex");
    }

    // --- revocation ---

    @Test
    void revokedAesToken_isRefused_evenWhenItsClaimsAreCached() {
        HttpResponse<String> issued = post("/generate-token", GatewayHarness.GENERAL_KEY,
                "{\"company_id\":\"acme\",\"agent_id\":\"rev\",\"user_id\":\"aes-user\",\"expires_in_seconds\":600}");
        assertEquals(200, issued.statusCode(), issued.body());
        JsonNode body = GatewayHarness.json(issued.body());
        String token = body.path("token").asText();
        String jti = body.path("jti").asText();
        assertFalse(jti.isEmpty(), "generate-token answers the token id: " + body);
        // Connected once: the claims are now in the token cache.
        try (WsClient first = WsClient.connect(userUri("acme", "rev", token))) {
            first.expectReady();
        }

        HttpResponse<String> revoked = post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY,
                "{\"jti\":\"" + jti + "\",\"expires_at\":" + body.path("expires_at").asLong() + "}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(GatewayHarness.json(revoked.body()).path("revoked").asBoolean(), revoked.body());

        assertRefused(userUri("acme", "rev", token), "revoked");
    }

    @Test
    void jwtRevokedByPostingTheToken_isRefused() {
        String token = JwtTokens.rs256(rsa, JwtTokens.user("acme", "rev", "jwt-user"));
        try (WsClient first = WsClient.connect(userUri("acme", "rev", token))) {
            first.expectReady();
        }

        HttpResponse<String> revoked = post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY,
                "{\"token\":\"" + token + "\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("user", GatewayHarness.json(revoked.body()).path("kind").asText(), revoked.body());

        assertRefused(userUri("acme", "rev", token), "revoked");
    }

    @Test
    void revokeEndpoint_refusesBadInputNamingTheField_andNeedsTheAdminKey() {
        HttpResponse<String> noKey = post("/admin/api/tokens/revoke", GatewayHarness.GENERAL_KEY, "{\"jti\":\"x\"}");
        assertEquals(401, noKey.statusCode(), noKey.body());

        HttpResponse<String> noExpiry = post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY, "{\"jti\":\"x\"}");
        assertEquals(400, noExpiry.statusCode(), noExpiry.body());
        assertEquals("expires_at", GatewayHarness.json(noExpiry.body()).path("error").path("field").asText(),
                noExpiry.body());

        HttpResponse<String> forged = post("/admin/api/tokens/revoke", GatewayHarness.ADMIN_KEY,
                "{\"token\":\"" + JwtTokens.unsigned(JwtTokens.user("acme", "x", "u")) + "\"}");
        assertEquals(400, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("token"), forged.body());
    }

    // --- rotation ---

    @Test
    void jwksFileRotatedAndReloadedWithSighup_acceptsTheNewKey() throws Exception {
        RSAKey next = JwtTokens.rsaKey("rsa-2");
        String token = JwtTokens.rs256(next, JwtTokens.user("acme", "rot", "rotated"));
        assertRefused(userUri("acme", "rot", token), "signature");

        Files.writeString(jwksFile, JwtTokens.jwks(rsa, ec, next));
        jar.hangUp();
        GatewayHarness.eventually(Duration.ofSeconds(15), "JWT keys reloaded:\n" + jar.tail(20),
                () -> jar.output().contains("JWT keys changed"));

        try (WsClient client = WsClient.connect(userUri("acme", "rot", token))) {
            client.expectReady();
        }
    }

    private static void assertConnectsAndReceives(String user, String token, String company, String agent) {
        try (WsClient client = WsClient.connect(userUri(company, agent, token))) {
            client.expectReady();
            String eventId = "evt-" + UUID.randomUUID();
            publish("websocket." + company + "." + agent + ".chats", eventId);
            assertEquals(eventId, client.next().path("payload").path("event_id").asText(), user);
        }
    }

    private static void assertRefused(String token, String messagePart) {
        assertRefused(userUri("acme", "x", token), messagePart);
    }

    private static void assertRefused(URI uri, String messagePart) {
        try (WsClient client = WsClient.connect(uri)) {
            JsonNode error = client.expectErrorAndClose("InvalidToken", 4403);
            String message = error.path("payload").path("message").asText();
            assertTrue(message.contains(messagePart), "message should name the problem (" + messagePart + "): "
                    + error);
        }
    }

    private static URI userUri(String company, String agent, String token) {
        return URI.create("ws://127.0.0.1:" + jar.port + "/ws/" + company + "/" + agent + "?token=" + q(token)
                + "&x-api-key=" + q(GatewayHarness.GENERAL_KEY));
    }

    private static URI adminUri(String token) {
        return URI.create("ws://127.0.0.1:" + jar.port + "/ws/admin?token=" + q(token) + "&x-api-key="
                + q(GatewayHarness.ADMIN_KEY));
    }

    private static void publish(String subject, String eventId) {
        HttpResponse<String> response = post("/api/v1/publish", GatewayHarness.ADMIN_KEY,
                "{\"subject\":\"" + subject + "\",\"payload\":{\"event_id\":\"" + eventId + "\"}}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static HttpResponse<String> post(String path, String apiKey, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jar.port + path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("X-API-Key", apiKey).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }
}
