package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static io.relaymesh.bootstrap.config.TestConfigs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    private static final String LEAKY_SECRET = "s3cr3t-VALUE-9f8e7d";
    private static final String LEAKY_AES = "ZZ" + "ab".repeat(31);

    @TempDir
    Path dir;

    @Test
    void mask_showsTwoCharactersAndTheLength() {
        assertEquals("ab…(32 chars)", Secrets.mask("ab" + "x".repeat(30)));
    }

    @Test
    void mask_showsOnlyTheLengthOfShortValues_andMarksEmptyOnes() {
        assertEquals("…(6 chars)", Secrets.mask("abc123"));
        assertEquals("(empty)", Secrets.mask(""));
        assertEquals("(empty)", Secrets.mask(null));
    }

    @Test
    void secretValues_neverAppearInProblemMessages() {
        Map<String, String> env = Map.of(
                "RELAYMESH_AUTH_SECRET_TOKEN", LEAKY_SECRET + " ",
                "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", LEAKY_SECRET + " ",
                "RELAYMESH_AUTH_TOKEN_AES_KEY", LEAKY_AES,
                "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", LEAKY_SECRET,
                "RELAYMESH_SERVER_CLUSTER_SECRET", LEAKY_SECRET + " ",
                "RELAYMESH_REDIS_ADDRESS", "redis:6379");
        Path file = write(dir, "nats:\n  url: \"nats://bob:" + LEAKY_SECRET + "@x:4222 x\"\n"
                + "redis:\n  password: 12345678\n");

        List<String> problems = rejected(load(Optional.of(file), env)).problems();

        assertEquals(List.of(
                "server.cluster_secret: must be at least 32 characters (e.g. openssl rand -hex 32), got 20"
                        + " characters (including whitespace at either end); set by RELAYMESH_SERVER_CLUSTER_SECRET",
                "nats.url: \"nats://***@x:4222 x\" is not a NATS URL (expected nats://host:port, or several"
                        + " separated by commas)",
                "redis.password: the value is not a string (put it in quotes)",
                "auth.secret_token: must not contain whitespace or control characters, got 20 characters"
                        + " (including whitespace at either end); set by RELAYMESH_AUTH_SECRET_TOKEN",
                "auth.token_aes_key: must be 64 hex characters (32 bytes), got 64 characters, not all of them"
                        + " hex digits; set by RELAYMESH_AUTH_TOKEN_AES_KEY",
                "auth.admin_secret_token: must not contain whitespace or control characters, got 20 characters"
                        + " (including whitespace at either end); set by RELAYMESH_AUTH_ADMIN_SECRET_TOKEN",
                "auth.admin_token_aes_key: must be 64 hex characters (32 bytes), got 19 characters;"
                        + " set by RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY"), problems);
        for (String problem : problems) {
            assertFalse(problem.contains(LEAKY_SECRET) || problem.contains("12345678") || problem.contains("ZZab"),
                    problem);
        }
    }

    @Test
    void yamlSyntaxErrorOnASecretLine_doesNotQuoteTheLine() {
        Path file = write(dir, "auth:\n  secret_token: \"" + LEAKY_SECRET + "\n");

        List<String> problems = rejected(load(Optional.of(file), Map.of())).problems();

        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("config.yaml: invalid YAML at line "), problems.getFirst());
        assertFalse(problems.getFirst().contains(LEAKY_SECRET), problems.getFirst());
    }

    @Test
    void configRecordsAndGeneratedSecrets_maskSecretsWhenPrinted() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_PASSWORD", LEAKY_SECRET);
        LoadResult.Loaded withKeys = loaded(load(Optional.empty(), env));
        LoadResult.Loaded generated = loaded(load(Optional.empty(), Map.of()));

        String printed = withKeys.config().toString() + generated.toString();

        for (String secret : List.of(TestConfigs.API_KEY, TestConfigs.AES_KEY, TestConfigs.ADMIN_API_KEY,
                TestConfigs.ADMIN_AES_KEY, LEAKY_SECRET, generated.config().auth().secretToken(),
                generated.config().auth().tokenAesKey())) {
            assertFalse(printed.contains(secret), "printed a secret: " + printed);
        }
        assertTrue(printed.contains("secretToken=us…(32 chars)"), printed);
    }

    @Test
    void newKeys_haveTheDocumentedFormats() {
        assertTrue(Secrets.newApiKey().matches("[A-Za-z0-9]{32}"));
        assertTrue(Secrets.newAesKeyHex().matches("[0-9a-f]{64}"));
    }
}
