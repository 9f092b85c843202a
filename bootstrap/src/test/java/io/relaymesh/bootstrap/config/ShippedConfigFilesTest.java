package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The files in /config that ship with the server and that {@code make run} / {@code make up} use. */
class ShippedConfigFilesTest {
    // Surefire runs in the module directory; the config files live at the repository root.
    private static final Path CONFIG_DIR = Path.of("..", "config");

    @Test
    void clusterConfigFile_loadsWithoutProblems_whenKeysComeFromTheEnvironment() {
        Path file = CONFIG_DIR.resolve("config.yaml");
        assertTrue(Files.exists(file), file.toAbsolutePath().toString());

        RelaymeshConfig config = loaded(load(Optional.of(file), AUTH_ENV)).config();

        assertFalse(config.standalone());
        assertEquals("redis:6379", config.redis().address());
        assertEquals("nats://nats:4222", config.nats().url());
        assertEquals(TestConfigs.API_KEY, config.auth().secretToken());
    }

    @Test
    void clusterConfigFile_withoutKeysInTheEnvironment_isRejected() {
        // The four auth keys and server.cluster_secret.
        assertEquals(5, rejected(load(Optional.of(CONFIG_DIR.resolve("config.yaml")), Map.of())).problems().size());
    }

    @Test
    void clusterConfigFile_writesEveryKey_withItsBuiltInDefault_exceptTheClusterAddresses() {
        RelaymeshConfig fromFile = loaded(load(Optional.of(CONFIG_DIR.resolve("config.yaml")), AUTH_ENV)).config();
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "redis:6379");
        env.put("RELAYMESH_NATS_URL", "nats://nats:4222");

        RelaymeshConfig fromDefaults = loaded(load(Optional.empty(), env)).config();

        assertEquals(fromDefaults, fromFile);
    }

    @Test
    void standaloneConfigFile_loadsWithoutProblems_andGeneratesTheKeys() {
        Path file = CONFIG_DIR.resolve("standalone.yaml");
        assertTrue(Files.exists(file), file.toAbsolutePath().toString());

        LoadResult.Loaded loaded = loaded(load(Optional.of(file), Map.of()));

        assertTrue(loaded.config().standalone());
        assertEquals(4, loaded.generatedSecrets().keys().size());
    }
}
