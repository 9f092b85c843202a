package io.relaymesh.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixtures: valid keys, a fixed host, and shortcuts for loading. */
final class TestConfigs {
    static final String API_KEY = "userApiKey0123456789abcdefABCDEF";
    static final String ADMIN_API_KEY = "adminApiKey0123456789abcdefABCDE";
    static final String AES_KEY = "0123456789abcdef".repeat(4);
    static final String ADMIN_AES_KEY = "fedcba9876543210".repeat(4);
    static final PodIdentity.Host HOST = new PodIdentity.Host("pod-7.relaymesh.local", "10.0.0.7");

    static final String CLUSTER_SECRET = "clusterSecret0123456789abcdefABCDEF";

    /** Every auth key and the cluster secret, as cluster mode requires. */
    static final Map<String, String> AUTH_ENV = Map.of(
            "RELAYMESH_AUTH_SECRET_TOKEN", API_KEY,
            "RELAYMESH_AUTH_TOKEN_AES_KEY", AES_KEY,
            "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN", ADMIN_API_KEY,
            "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY", ADMIN_AES_KEY,
            "RELAYMESH_SERVER_CLUSTER_SECRET", CLUSTER_SECRET);

    private TestConfigs() {
    }

    static LoadResult load(Optional<Path> file, Map<String, String> env) {
        return new ConfigLoader(() -> HOST).read(file, env);
    }

    static Path write(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("config.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoadResult.Loaded loaded(LoadResult result) {
        if (result instanceof LoadResult.Rejected rejected) {
            fail("expected the config to load, but: " + rejected.problems());
        }
        return (LoadResult.Loaded) result;
    }

    static LoadResult.Rejected rejected(LoadResult result) {
        return assertInstanceOf(LoadResult.Rejected.class, result, "expected the config to be rejected");
    }

    /** The problems of loading {@code yaml} (written to a file in {@code dir}) with no environment. */
    static List<String> problemsOf(Path dir, String yaml) {
        return rejected(load(Optional.of(write(dir, yaml)), Map.of())).problems();
    }
}
