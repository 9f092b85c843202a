package io.relaymesh.adapters.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}). The SHA-1 is computed here, the same digest
 * {@code SCRIPT LOAD} would return, so no round trip is spent loading it: when Redis does not know
 * it ({@code NOSCRIPT}, e.g. after a restart or {@code SCRIPT FLUSH}) the caller sends the body once
 * with {@code EVAL}, which caches it again. Immutable.
 *
 * @param name what the script does, for errors and logs
 * @param body the Lua source
 * @param sha1 lowercase hex SHA-1 of the body
 */
record RedisScript(String name, String body, String sha1) {

    RedisScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sha1, "sha1");
    }

    static RedisScript of(String name, String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, body, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
