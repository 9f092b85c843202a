package io.relaymesh.adapters.crypto;

import io.relaymesh.domain.port.TokenCodec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec.Decoded;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AesGcmTokenCodecTest {
    private static final String USER_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String ADMIN_KEY = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
    private static final String OTHER_KEY = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00";
    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final UserClaims USER = new UserClaims("acme", "support", "u-42", EXPIRES_AT);
    private static final AdminClaims ADMIN = new AdminClaims("root", EXPIRES_AT, "acme", "support", "acme");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AesGcmTokenCodec codec = new AesGcmTokenCodec(USER_KEY, ADMIN_KEY);

    // --- round trips ---

    @Test
    void userClaims_roundTripThroughAUserToken() {
        assertEquals(USER, valid(codec.decodeUser(codec.encodeUser(USER))));
    }

    @Test
    void allowedChatIds_roundTripThroughAUserToken_andTheirAbsenceMeansAnyChat() {
        UserClaims limited = new UserClaims("acme", "support", "alice", Instant.ofEpochSecond(2_000_000_000L),
                java.util.Set.of("c1", "c2"));
        UserClaims back = ((TokenCodec.Decoded.Valid<UserClaims>) codec.decodeUser(codec.encodeUser(limited))).claims();
        assertEquals(limited, back);
        assertTrue(back.allowsChat("c1"));
        assertFalse(back.allowsChat("c3"));
        UserClaims any = new UserClaims("acme", "support", "bob", Instant.ofEpochSecond(2_000_000_000L));
        assertTrue(((TokenCodec.Decoded.Valid<UserClaims>) codec.decodeUser(codec.encodeUser(any))).claims()
                .allowsChat("c3"));
    }

    @Test
    void adminClaims_roundTripThroughAnAdminToken() {
        assertEquals(ADMIN, valid(codec.decodeAdmin(codec.encodeAdmin(ADMIN))));
    }

    @Test
    void emptyOptionalAdminFields_roundTripAsEmpty() {
        AdminClaims unrestricted = new AdminClaims("root", EXPIRES_AT, "", "", "");

        AdminClaims decoded = valid(codec.decodeAdmin(codec.encodeAdmin(unrestricted)));

        assertEquals(unrestricted, decoded);
        assertAll(() -> assertEquals("", decoded.subscribedCompanyId()),
                () -> assertEquals("", decoded.subscribedAgentId()),
                () -> assertEquals("", decoded.companyIdRestriction()));
    }

    @Test
    void subSecondPartOfExpiresAt_isDroppedOnEncoding() {
        UserClaims precise = new UserClaims("acme", "support", "u-42", EXPIRES_AT.plusMillis(999));

        assertEquals(EXPIRES_AT, valid(codec.decodeUser(codec.encodeUser(precise))).expiresAt());
    }

    @Test
    void twoEncodingsOfTheSameClaims_differBecauseOfTheRandomNonce() {
        String first = codec.encodeUser(USER);
        String second = codec.encodeUser(USER);

        assertNotEquals(first, second);
        assertNotEquals(first.substring(0, 16), second.substring(0, 16), "nonces must differ");
        assertEquals(USER, valid(codec.decodeUser(first)));
        assertEquals(USER, valid(codec.decodeUser(second)));
    }

    // --- rejected tokens ---

    @Test
    void everySingleByteFlip_makesTheTokenUndecryptable() {
        byte[] sealed = Base64.getUrlDecoder().decode(codec.encodeUser(USER));

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertEquals("token could not be decrypted", invalid(codec.decodeUser(token)), "byte " + i);
        }
    }

    @Test
    void tokenShorterThanNonceAndTag_isTooShort() {
        byte[] sealed = Base64.getUrlDecoder().decode(codec.encodeUser(USER));
        byte[] truncated = Arrays.copyOf(sealed, AesGcmTokenCodec.NONCE_BYTES + 15);

        assertEquals("token is too short", invalid(codec.decodeUser(base64url(truncated))));
        assertEquals("token is too short", invalid(codec.decodeUser("AAAA")));
    }

    @Test
    void tokenWithItsLastBytesCutOff_cannotBeDecrypted() {
        byte[] sealed = Base64.getUrlDecoder().decode(codec.encodeUser(USER));
        byte[] truncated = Arrays.copyOf(sealed, sealed.length - 3);

        assertEquals("token could not be decrypted", invalid(codec.decodeUser(base64url(truncated))));
    }

    @Test
    void tokenWithItsLastCharacterCutOff_isInvalid() {
        String token = codec.encodeUser(USER);

        assertInstanceOf(Decoded.Invalid.class, codec.decodeUser(token.substring(0, token.length() - 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a token!", "a", "abc+def/ghi+jkl", "token.with.dots", " AAAAAAAA", "AAAAAAAA\n", "é"})
    void garbage_isNotValidBase64url(String garbage) {
        assertEquals("token is not valid base64url", invalid(codec.decodeUser(garbage)));
        assertEquals("token is not valid base64url", invalid(codec.decodeAdmin(garbage)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingToken_isEmpty(String token) {
        assertEquals("token is empty", invalid(codec.decodeUser(token)));
        assertEquals("token is empty", invalid(codec.decodeAdmin(token)));
    }

    @Test
    void hugeToken_isRefusedAsTooLong() {
        String huge = "A".repeat(AesGcmTokenCodec.MAX_TOKEN_CHARS + 4);

        assertEquals("token is too long", invalid(codec.decodeUser(huge)));
    }

    @Test
    void tokenEncryptedWithAnotherKey_cannotBeDecrypted() {
        AesGcmTokenCodec other = new AesGcmTokenCodec(OTHER_KEY, OTHER_KEY);

        assertEquals("token could not be decrypted", invalid(codec.decodeUser(other.encodeUser(USER))));
        assertEquals("token could not be decrypted", invalid(codec.decodeAdmin(other.encodeAdmin(ADMIN))));
    }

    @Test
    void userToken_isRejectedAsAdminToken() {
        assertEquals("token could not be decrypted", invalid(codec.decodeAdmin(codec.encodeUser(USER))));
    }

    @Test
    void adminToken_isRejectedAsUserToken() {
        assertEquals("token could not be decrypted", invalid(codec.decodeUser(codec.encodeAdmin(ADMIN))));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void randomInput_neverThrowsAndIsInvalid() {
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. é";
        for (int i = 0; i < 5_000; i++) {
            String token;
            if (i % 2 == 0) {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                token = base64url(bytes);
            } else {
                StringBuilder text = new StringBuilder();
                for (int n = random.nextInt(200); n > 0; n--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                token = text.toString();
            }
            assertInstanceOf(Decoded.Invalid.class, codec.decodeUser(token), token);
            assertInstanceOf(Decoded.Invalid.class, codec.decodeAdmin(token), token);
        }
    }

    // --- key rotation and key validation ---

    @Test
    void afterKeyRotation_previousKeyStillDecodes_andNewTokensUseTheCurrentKey() {
        AesGcmTokenCodec beforeRotation = new AesGcmTokenCodec(USER_KEY, ADMIN_KEY);
        AesGcmTokenCodec afterRotation = new AesGcmTokenCodec(
                new KeySet(OTHER_KEY, List.of(USER_KEY)), new KeySet(OTHER_KEY.toLowerCase(), List.of(ADMIN_KEY)));
        AesGcmTokenCodec currentKeysOnly = new AesGcmTokenCodec(OTHER_KEY, OTHER_KEY);

        assertEquals(USER, valid(afterRotation.decodeUser(beforeRotation.encodeUser(USER))));
        assertEquals(ADMIN, valid(afterRotation.decodeAdmin(beforeRotation.encodeAdmin(ADMIN))));

        String newUserToken = afterRotation.encodeUser(USER);
        String newAdminToken = afterRotation.encodeAdmin(ADMIN);
        assertEquals(USER, valid(currentKeysOnly.decodeUser(newUserToken)));
        assertEquals(ADMIN, valid(currentKeysOnly.decodeAdmin(newAdminToken)));
        assertInstanceOf(Decoded.Invalid.class, beforeRotation.decodeUser(newUserToken));
        assertInstanceOf(Decoded.Invalid.class, beforeRotation.decodeAdmin(newAdminToken));
    }

    @Test
    void keyFingerprint_isEqualForEqualKeys_andChangesWhenAKeyIsAddedOrDropped() {
        AesGcmTokenCodec plain = new AesGcmTokenCodec(USER_KEY, ADMIN_KEY);
        AesGcmTokenCodec same = new AesGcmTokenCodec(USER_KEY.toUpperCase(), ADMIN_KEY);
        AesGcmTokenCodec rotating = new AesGcmTokenCodec(new KeySet(USER_KEY, List.of(OTHER_KEY)), KeySet.of(ADMIN_KEY));
        AesGcmTokenCodec swapped = new AesGcmTokenCodec(ADMIN_KEY, USER_KEY);

        assertEquals(plain.keyFingerprint(), same.keyFingerprint());
        assertNotEquals(plain.keyFingerprint(), rotating.keyFingerprint());
        assertNotEquals(plain.keyFingerprint(), swapped.keyFingerprint());
        assertEquals(16, plain.keyFingerprint().length());
        assertFalse(USER_KEY.contains(plain.keyFingerprint()), "the fingerprint must not be a piece of a key");
    }

    @Test
    void previousUserKey_doesNotDecodeAdminTokens() {
        AesGcmTokenCodec rotated = new AesGcmTokenCodec(new KeySet(OTHER_KEY, List.of(USER_KEY)), KeySet.of(ADMIN_KEY));
        AesGcmTokenCodec adminOnUserKey = new AesGcmTokenCodec(OTHER_KEY, USER_KEY);

        assertEquals("token could not be decrypted",
                invalid(rotated.decodeAdmin(adminOnUserKey.encodeAdmin(ADMIN))));
    }

    static Stream<String> badKeys() {
        return Stream.of(
                USER_KEY.substring(1),
                USER_KEY + "0",
                "g" + USER_KEY.substring(1),
                " " + USER_KEY.substring(1),
                "\u0660" + USER_KEY.substring(1), // ARABIC-INDIC DIGIT ZERO: a digit, but not hex
                "0x" + USER_KEY.substring(2),
                "",
                null);
    }

    @ParameterizedTest
    @MethodSource("badKeys")
    void userKeyThatIsNot64HexCharacters_failsNamingTheUserKey(String badKey) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AesGcmTokenCodec(badKey, ADMIN_KEY));

        assertTrue(e.getMessage().startsWith("auth.token_aes_key must be 64 hex characters (32 bytes)"),
                e.getMessage());
        assertSecretNotIn(e.getMessage(), badKey);
    }

    @ParameterizedTest
    @MethodSource("badKeys")
    void adminKeyThatIsNot64HexCharacters_failsNamingTheAdminKey(String badKey) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AesGcmTokenCodec(USER_KEY, badKey));

        assertTrue(e.getMessage().startsWith("auth.admin_token_aes_key must be 64 hex characters (32 bytes)"),
                e.getMessage());
        assertSecretNotIn(e.getMessage(), badKey);
    }

    @Test
    void badPreviousKey_failsNamingThePreviousKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AesGcmTokenCodec(new KeySet(USER_KEY, List.of(OTHER_KEY, "abc")), KeySet.of(ADMIN_KEY)));

        assertTrue(e.getMessage().startsWith("auth.token_aes_key (previous key 2) must be 64 hex characters"),
                e.getMessage());
    }

    @Test
    void keySetToString_doesNotRevealTheKeys() {
        String text = new KeySet(USER_KEY, List.of(ADMIN_KEY)).toString();

        assertFalse(text.contains(USER_KEY) || text.contains(ADMIN_KEY) || text.contains("0102"), text);
    }

    // --- wire format: tokens built without the codec ---

    @Test
    void tokenSealedDirectlyWithJavaxCrypto_decodes() throws Exception {
        ObjectNode claims = JSON.createObjectNode()
                .put("company_id", "acme")
                .put("agent_id", "support")
                .put("user_id", "u-42")
                .put("expires_at", EXPIRES_AT.getEpochSecond());
        ObjectNode adminClaims = JSON.createObjectNode()
                .put("admin_id", "root")
                .put("expires_at", EXPIRES_AT.getEpochSecond())
                .put("subscribed_company_id", "acme")
                .put("subscribed_agent_id", "support")
                .put("company_id_restriction", "acme");

        assertEquals(USER, valid(codec.decodeUser(sealWithJavaxCrypto(USER_KEY, JSON.writeValueAsString(claims)))));
        assertEquals(ADMIN,
                valid(codec.decodeAdmin(sealWithJavaxCrypto(ADMIN_KEY, JSON.writeValueAsString(adminClaims)))));
    }

    @Test
    void tokenFromTheCodec_opensDirectlyWithJavaxCrypto() throws Exception {
        String token = codec.encodeUser(USER);

        assertFalse(token.contains("=") || token.contains("+") || token.contains("/"), "base64url without padding");
        byte[] sealed = Base64.getUrlDecoder().decode(token);
        assertEquals(12 + "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"u-42\",\"expires_at\":1767225600}"
                .length() + 16, sealed.length, "nonce ‖ ciphertext ‖ tag");
        JsonNode claims = JSON.readTree(openWithJavaxCrypto(USER_KEY, token));
        assertEquals("acme", claims.get("company_id").textValue());
        assertEquals("support", claims.get("agent_id").textValue());
        assertEquals("u-42", claims.get("user_id").textValue());
        assertTrue(claims.get("expires_at").isIntegralNumber(), "expires_at is epoch seconds");
        assertEquals(EXPIRES_AT.getEpochSecond(), claims.get("expires_at").longValue());
    }

    @Test
    void adminTokenFromTheCodec_carriesAllFiveFields() throws Exception {
        String token = codec.encodeAdmin(new AdminClaims("root", EXPIRES_AT, "", "", ""));

        JsonNode claims = JSON.readTree(openWithJavaxCrypto(ADMIN_KEY, token));

        assertEquals("{\"admin_id\":\"root\",\"expires_at\":1767225600,\"subscribed_company_id\":\"\","
                + "\"subscribed_agent_id\":\"\",\"company_id_restriction\":\"\"}", JSON.writeValueAsString(claims));
    }

    /** Produced with Python's cryptography package (AESGCM, no associated data), not with Java. */
    @Test
    void goldenTokensFromAnotherImplementation_decode() {
        String userToken = "oKGio6SlpqeoqaqrnTofQii7Y9EbOu63JUDivxPBPDK-lSML-WBS2RbPVzvwBTKP300hSX2wJr16H_GmLn9kckClN0pz"
                + "fCd8wQj12cbZ9jBR0cbaxdXJL738-Yz9O9atV7EKw-1danczgu-mBTfa";
        String adminToken = "sLGys7S1tre4ubq753JsejQRLXWtBbR6TblaE9_QpdRVbn-oP00NUlVej2F2bjfi4GJjAt5Z8pwNd2V8rdxKSQfZSoNeO"
                + "urjR2u9zDVAOuYtvIOSffMV2QidLrwBm94xqLuDBqUJBAournjvNBOCPCOt3Gi3QuCePt5Ui9j2NEWs9LmF9huygvkihfqlLsLpe2B"
                + "iKqMMYkdNZziylCVc0I3A9FfIZpsR4lY5xOaPVA0";

        assertEquals(USER, valid(codec.decodeUser(userToken)));
        assertEquals(new AdminClaims("root", EXPIRES_AT, "acme", "", "acme"), valid(codec.decodeAdmin(adminToken)));
    }

    // --- claims ---

    static Stream<Arguments> expiresAtForms() {
        return Stream.of(
                Arguments.of("\"2026-01-01T00:00:00Z\"", EXPIRES_AT),
                Arguments.of("\"2026-01-01T02:00:00+02:00\"", EXPIRES_AT),
                Arguments.of("\"2025-12-31T19:00:00-05:00\"", EXPIRES_AT),
                Arguments.of("\"2026-01-01t00:00:00z\"", EXPIRES_AT),
                Arguments.of("\"2026-01-01T00:00:00.123456789Z\"", EXPIRES_AT.plusNanos(123_456_789)),
                Arguments.of("1767225600", EXPIRES_AT),
                Arguments.of("1767225600.25", EXPIRES_AT.plusMillis(250)),
                Arguments.of("1767225600.000000001", EXPIRES_AT.plusNanos(1)),
                Arguments.of("1.7672256E9", EXPIRES_AT),
                Arguments.of("-1.5", Instant.EPOCH.minusMillis(1500)));
    }

    @ParameterizedTest
    @MethodSource("expiresAtForms")
    void expiresAtAsEpochSecondsOrRfc3339String_decodes(String expiresAtJson, Instant expected) {
        String token = sealWithJavaxCrypto(USER_KEY,
                "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"u-42\",\"expires_at\":" + expiresAtJson + "}");

        assertEquals(expected, valid(codec.decodeUser(token)).expiresAt());
    }

    static Stream<Arguments> badUserClaims() {
        String badExpiry = "token claims are invalid: expires_at must be epoch seconds or an RFC 3339 timestamp";
        return Stream.of(
                Arguments.of("{\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1}", "token claims are missing company_id"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"expires_at\":1}", "token claims are missing user_id"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":null,\"expires_at\":1}",
                        "token claims are missing user_id"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\"}", "token claims are missing expires_at"),
                Arguments.of("{\"company_id\":\"a.b\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1}",
                        "token claims are invalid: company_id must not contain '.'"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"\",\"expires_at\":1}",
                        "token claims are invalid: user_id must not be empty"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":42,\"expires_at\":1}",
                        "token claims are invalid: user_id must be a string"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":true}", badExpiry),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":\"tomorrow\"}", badExpiry),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":\"1767225600\"}",
                        badExpiry),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":\"2026-01-01T00:00:00\"}",
                        badExpiry),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1e999999999}",
                        "token claims are invalid: expires_at is out of range"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":123456789012345678901234}",
                        "token claims are invalid: expires_at is out of range"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1e-999999999}",
                        "token claims are invalid: expires_at has more than 9 decimals"),
                Arguments.of("{\"company_id\":\"c\",\"company_id\":\"d\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1}",
                        "token claims are not valid JSON"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1}{}",
                        "token claims are not valid JSON"),
                Arguments.of("{\"company_id\":\"c\"", "token claims are not valid JSON"),
                Arguments.of("not json", "token claims are not valid JSON"),
                Arguments.of("[\"c\",\"a\",\"u\",1]", "token claims are not a JSON object"),
                Arguments.of("\"c\"", "token claims are not a JSON object"),
                Arguments.of("", "token claims are not a JSON object"));
    }

    @ParameterizedTest
    @MethodSource("badUserClaims")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void malformedUserClaims_areInvalidWithAReason(String plaintext, String reason) {
        assertEquals(reason, invalid(codec.decodeUser(sealWithJavaxCrypto(USER_KEY, plaintext))));
    }

    static Stream<Arguments> badAdminClaims() {
        return Stream.of(
                Arguments.of("{\"expires_at\":1}", "token claims are missing admin_id"),
                Arguments.of("{\"admin_id\":\"root\"}", "token claims are missing expires_at"),
                Arguments.of("{\"admin_id\":\"root\",\"expires_at\":1,\"subscribed_agent_id\":\"a:b\"}",
                        "token claims are invalid: subscribed_agent_id must not contain ':'"),
                Arguments.of("{\"admin_id\":\"root\",\"expires_at\":1,\"company_id_restriction\":7}",
                        "token claims are invalid: company_id_restriction must be a string"),
                Arguments.of("{\"company_id\":\"c\",\"agent_id\":\"a\",\"user_id\":\"u\",\"expires_at\":1}",
                        "token claims are missing admin_id"));
    }

    @ParameterizedTest
    @MethodSource("badAdminClaims")
    void malformedAdminClaims_areInvalidWithAReason(String plaintext, String reason) {
        assertEquals(reason, invalid(codec.decodeAdmin(sealWithJavaxCrypto(ADMIN_KEY, plaintext))));
    }

    @Test
    void absentOrNullOptionalAdminFields_decodeAsEmpty() {
        String token = sealWithJavaxCrypto(ADMIN_KEY,
                "{\"admin_id\":\"root\",\"expires_at\":1767225600,\"subscribed_agent_id\":null}");

        assertEquals(new AdminClaims("root", EXPIRES_AT, "", "", ""), valid(codec.decodeAdmin(token)));
    }

    @Test
    void unknownClaims_areIgnored() {
        String token = sealWithJavaxCrypto(USER_KEY, "{\"company_id\":\"acme\",\"agent_id\":\"support\",\"user_id\":\"u-42\","
                + "\"expires_at\":1767225600,\"issued_at\":1767222000,\"roles\":[\"viewer\"]}");

        assertEquals(USER, valid(codec.decodeUser(token)));
    }

    @Test
    void nonAsciiIds_roundTripAsUtf8() throws Exception {
        UserClaims claims = new UserClaims("société", "agent-ü", "用户-😀", EXPIRES_AT);
        String token = codec.encodeUser(claims);

        assertEquals(claims, valid(codec.decodeUser(token)));
        assertEquals("用户-😀", JSON.readTree(openWithJavaxCrypto(USER_KEY, token)).get("user_id").textValue());
    }

    @Test
    void longestValidClaims_fitUnderTheTokenLengthLimit() {
        String longest = "😀".repeat(64); // 128 UTF-16 units, the most an id may have; 4 UTF-8 bytes per pair
        // Quotes and backslashes (2 bytes each once escaped) are no longer valid in ids; a BMP
        // character of 3 UTF-8 bytes per UTF-16 unit is now the heaviest an id can be.
        String heavy = "€".repeat(128);
        AdminClaims big = new AdminClaims(longest, EXPIRES_AT, heavy, "é".repeat(128), longest);

        String token = codec.encodeAdmin(big);

        assertTrue(token.length() < AesGcmTokenCodec.MAX_TOKEN_CHARS, "length " + token.length());
        assertEquals(big, valid(codec.decodeAdmin(token)));
    }

    // --- concurrency ---

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sharedCodec_encodesAndDecodesConcurrently() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        UserClaims claims = new UserClaims("c" + thread, "a", "u" + i, EXPIRES_AT);
                        assertEquals(claims, valid(codec.decodeUser(codec.encodeUser(claims))));
                        assertEquals(ADMIN, valid(codec.decodeAdmin(codec.encodeAdmin(ADMIN))));
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
    }

    // --- helpers ---

    private static <T> T valid(Decoded<T> decoded) {
        return switch (decoded) {
            case Decoded.Valid<T> v -> v.claims();
            case Decoded.Invalid<T> i -> throw new AssertionError("expected a valid token, got: " + i.reason());
        };
    }

    private static String invalid(Decoded<?> decoded) {
        return assertInstanceOf(Decoded.Invalid.class, decoded, "expected an invalid token").reason();
    }

    private static void assertSecretNotIn(String message, String key) {
        if (key != null && key.length() > 8) {
            assertFalse(message.contains(key.substring(2, 40)), "message reveals the key: " + message);
        }
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The wire format, written out independently of the codec: what another language must do. */
    private static String sealWithJavaxCrypto(String keyHex, String plaintext) {
        try {
            byte[] nonce = new byte[12];
            new Random().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(keyHex), "AES"),
                    new GCMParameterSpec(128, nonce));
            byte[] ciphertextAndTag = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] token = new byte[nonce.length + ciphertextAndTag.length];
            System.arraycopy(nonce, 0, token, 0, nonce.length);
            System.arraycopy(ciphertextAndTag, 0, token, nonce.length, ciphertextAndTag.length);
            return base64url(token);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String openWithJavaxCrypto(String keyHex, String token) throws GeneralSecurityException {
        byte[] sealed = Base64.getUrlDecoder().decode(token);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(keyHex), "AES"),
                new GCMParameterSpec(128, sealed, 0, 12));
        return new String(cipher.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
    }
}
