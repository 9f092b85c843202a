package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.ConfigKey.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fills in the auth keys a standalone pod was not given, so {@code make run} works with no setup.
 * A single pod needs to agree with nobody, so random keys are safe; given keys are kept as they are.
 */
final class StandaloneKeys {
    private StandaloneKeys() {
    }

    static LoadResult.Loaded complete(RelaymeshConfig config, List<String> notes) {
        if (!config.standalone()) {
            return new LoadResult.Loaded(config, GeneratedSecrets.none(), notes);
        }
        Map<String, String> generated = new LinkedHashMap<>();
        AuthConfig auth = config.auth();
        AuthConfig completed = auth.withKeys(
                orGenerate(AUTH_SECRET_TOKEN, auth.secretToken(), Secrets::newApiKey, generated),
                orGenerate(AUTH_TOKEN_AES_KEY, auth.tokenAesKey(), Secrets::newAesKeyHex, generated),
                orGenerate(AUTH_ADMIN_SECRET_TOKEN, auth.adminSecretToken(), Secrets::newApiKey, generated),
                orGenerate(AUTH_ADMIN_TOKEN_AES_KEY, auth.adminTokenAesKey(), Secrets::newAesKeyHex, generated));
        if (!generated.isEmpty()) {
            notes.add("standalone mode: generated " + String.join(", ", generated.keySet())
                    + " for this run (set them to keep tokens valid across restarts)");
        }
        return new LoadResult.Loaded(config.withAuth(completed), new GeneratedSecrets(generated), notes);
    }

    private static String orGenerate(ConfigKey key, String given, Supplier<String> generator,
            Map<String, String> generated) {
        if (!given.isEmpty()) {
            return given;
        }
        String value = generator.get();
        generated.put(key.path(), value);
        return value;
    }
}
