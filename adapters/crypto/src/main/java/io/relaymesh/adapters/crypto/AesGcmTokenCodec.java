package io.relaymesh.adapters.crypto;

import io.relaymesh.domain.model.AdminClaims;
import io.relaymesh.domain.model.UserClaims;
import io.relaymesh.domain.port.TokenCodec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens as AES-256-GCM over the JSON claims: {@code base64url-without-padding(nonce ‖ ciphertext ‖
 * tag)} with a random 12-byte nonce, a 128-bit tag and no associated data, so that clients in other
 * languages can issue and read them. User and admin tokens have separate keys; each kind may also
 * have previous keys that still decrypt after a rotation. Expiry is not checked here.
 *
 * <p>Thread-safe: keys are immutable, {@link SecureRandom} is thread-safe, and every call creates
 * its own {@link Cipher}, which is not.
 */
public final class AesGcmTokenCodec implements TokenCodec {
    static final String USER_KEY_NAME = "auth.token_aes_key";
    static final String ADMIN_KEY_NAME = "auth.admin_token_aes_key";
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    /**
     * Far above the longest token valid claims produce (about 2,300 characters), low enough that
     * junk is refused before any work.
     */
    static final int MAX_TOKEN_CHARS = 8192;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_HEX_CHARS = 64;
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final SecretKey userKey;
    private final List<SecretKey> userDecryptionKeys;
    private final SecretKey adminKey;
    private final List<SecretKey> adminDecryptionKeys;
    private final String keyFingerprint;
    private final SecureRandom random = new SecureRandom();

    /**
     * A codec with one key per kind of token, each 64 hex characters (32 bytes).
     *
     * @throws IllegalArgumentException naming the configuration key that is not 64 hex characters
     */
    public AesGcmTokenCodec(String userKeyHex, String adminKeyHex) {
        // An unset key is a configuration mistake like a short one: report it the same way.
        this(KeySet.of(Objects.requireNonNullElse(userKeyHex, "")),
                KeySet.of(Objects.requireNonNullElse(adminKeyHex, "")));
    }

    /**
     * A codec that encrypts with each set's current key and decrypts with the current key, then
     * the previous ones in order.
     *
     * @throws IllegalArgumentException naming the configuration key that is not 64 hex characters
     */
    public AesGcmTokenCodec(KeySet userKeys, KeySet adminKeys) {
        this.userDecryptionKeys = parse(USER_KEY_NAME, Objects.requireNonNull(userKeys, USER_KEY_NAME));
        this.adminDecryptionKeys = parse(ADMIN_KEY_NAME, Objects.requireNonNull(adminKeys, ADMIN_KEY_NAME));
        this.userKey = userDecryptionKeys.getFirst();
        this.adminKey = adminDecryptionKeys.getFirst();
        this.keyFingerprint = fingerprint(userDecryptionKeys, adminDecryptionKeys);
    }

    /**
     * A short digest of every key this codec decrypts with (16 hex characters of a SHA-256; it
     * reveals nothing usable about the keys). Equal on every pod configured alike; different as
     * soon as a key is added or dropped, so a cache of validated tokens can be scoped by it and
     * forget tokens of a key that is no longer accepted.
     */
    public String keyFingerprint() {
        return keyFingerprint;
    }

    @Override
    public String encodeUser(UserClaims claims) {
        return seal(userKey, ClaimsJson.write(Objects.requireNonNull(claims, "claims")));
    }

    @Override
    public String encodeAdmin(AdminClaims claims) {
        return seal(adminKey, ClaimsJson.write(Objects.requireNonNull(claims, "claims")));
    }

    @Override
    public Decoded<UserClaims> decodeUser(String token) {
        return open(token, userDecryptionKeys, ClaimsJson::readUser);
    }

    @Override
    public Decoded<AdminClaims> decodeAdmin(String token) {
        return open(token, adminDecryptionKeys, ClaimsJson::readAdmin);
    }

    private String seal(SecretKey key, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        byte[] token = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, token, 0, NONCE_BYTES);
        try {
            cipher.doFinal(plaintext, 0, plaintext.length, token, NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new TokenCodecException("cannot encrypt token claims with " + TRANSFORMATION, e);
        }
        return BASE64URL.encodeToString(token);
    }

    private static <T> Decoded<T> open(String token, List<SecretKey> keys, Function<byte[], Decoded<T>> readClaims) {
        if (token == null || token.isEmpty()) {
            return new Decoded.Invalid<>("token is empty");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return new Decoded.Invalid<>("token is too long");
        }
        byte[] sealed;
        try {
            sealed = BASE64URL_DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            return new Decoded.Invalid<>("token is not valid base64url");
        }
        if (sealed.length < NONCE_BYTES + TAG_BYTES) {
            return new Decoded.Invalid<>("token is too short");
        }
        for (SecretKey key : keys) {
            byte[] plaintext = decrypt(key, sealed);
            if (plaintext != null) {
                return readClaims.apply(plaintext);
            }
        }
        return new Decoded.Invalid<>("token could not be decrypted");
    }

    /** The plaintext, or null when the tag does not verify: another key, or a tampered token. */
    private static byte[] decrypt(SecretKey key, byte[] sealed) {
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
        try {
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Fails only if the JVM lacks AES-GCM: the key and nonce sizes are fixed by this class. */
    private static Cipher cipher(int mode, SecretKey key, GCMParameterSpec spec) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, spec);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new TokenCodecException("cannot initialise " + TRANSFORMATION, e);
        }
    }

    private static String fingerprint(List<SecretKey> userKeys, List<SecretKey> adminKeys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((byte) 'u');
            userKeys.forEach(k -> digest.update(k.getEncoded()));
            digest.update((byte) 'a');
            adminKeys.forEach(k -> digest.update(k.getEncoded()));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new TokenCodecException("SHA-256 is not available", e);
        }
    }

    /** The current key, then the previous ones. */
    private static List<SecretKey> parse(String name, KeySet keySet) {
        List<SecretKey> keys = new ArrayList<>();
        keys.add(parseKey(name, keySet.current()));
        for (int i = 0; i < keySet.previous().size(); i++) {
            keys.add(parseKey(name + " (previous key " + (i + 1) + ")", keySet.previous().get(i)));
        }
        return List.copyOf(keys);
    }

    /** The message names the key and what is wrong with it, never the key itself: it is a secret. */
    private static SecretKey parseKey(String name, String hex) {
        String problem = null;
        if (hex.isEmpty()) {
            problem = "got none";
        } else if (hex.length() != KEY_HEX_CHARS) {
            problem = "got " + hex.length() + " characters";
        } else {
            for (int i = 0; i < hex.length() && problem == null; i++) {
                if (!HexFormat.isHexDigit(hex.charAt(i))) {
                    problem = "got a non-hex character at position " + (i + 1);
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException(name + " must be " + KEY_HEX_CHARS + " hex characters ("
                    + KEY_HEX_CHARS / 2 + " bytes), " + problem + "; generate one with: openssl rand -hex 32");
        }
        return new SecretKeySpec(HexFormat.of().parseHex(hex), "AES");
    }
}
