package io.relaymesh.bootstrap.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conversations dialect's section: defaults from DESIGN.md, environment overrides, checks, the seed-compatibility warning. */
class ConversationsConfigTest {
    private static final Path CONFIG_DIR = Path.of("..", "config");

    @Test
    void defaults_areTheDesignsNumbers_andSafe() {
        ConversationsDialectConfig c = loaded(load(Optional.empty(), AUTH_ENV)).config().dialects().conversations();
        assertEquals(new ConversationsDialectConfig(true, "/conversations/ws", Duration.ofSeconds(10),
                Duration.ofSeconds(90), Duration.ofSeconds(60), 8192, Duration.ofSeconds(10), false,
                Duration.ofSeconds(10), "conversations", false), c);
    }

    @Test
    void everyKey_isOverriddenByItsEnvironmentVariable() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_ENABLED", "false");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_PATH", "/chat/ws");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_TYPING_EXPIRY_SECONDS", "3");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_PRESENCE_EXPIRY_SECONDS", "30");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_IDLE_TIMEOUT_SECONDS", "5");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_MAX_MESSAGE_BYTES", "4096");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_AUTH_TIMEOUT_SECONDS", "2");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_REDIS_PUBSUB_ENABLED", "true");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_REDIS_PUBSUB_DEDUP_SECONDS", "4");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_CONVERSATIONS_CLAIM", "convs");
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_ALLOW_WITHOUT_CLAIM", "true");
        ConversationsDialectConfig c = loaded(load(Optional.empty(), env)).config().dialects().conversations();
        assertEquals(new ConversationsDialectConfig(false, "/chat/ws", Duration.ofSeconds(3), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 4096, Duration.ofSeconds(2), true, Duration.ofSeconds(4), "convs", true), c);
    }

    @Test
    void aPathOnTheSharedWs_isRejectedWithItsKey() {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_DIALECTS_CONVERSATIONS_PATH", "/ws");
        List<String> problems = rejected(load(Optional.empty(), env)).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("dialects.conversations.path: "), problems.toString());
    }

    @Test
    void theStandaloneFile_keepsSeedClientsWorking_withAWarning_andTheClusterFileIsSafe() {
        RelaymeshConfig standalone = loaded(load(Optional.of(CONFIG_DIR.resolve("standalone.yaml")), Map.of())).config();
        assertTrue(standalone.dialects().conversations().allowWithoutClaim());
        assertTrue(SecurityWarnings.of(standalone).stream().anyMatch(w -> w.startsWith("dialects.conversations.allow_without_claim")),
                SecurityWarnings.of(standalone).toString());

        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.put("RELAYMESH_REDIS_ADDRESS", "redis:6379");
        env.put("RELAYMESH_NATS_URL", "nats://nats:4222");
        RelaymeshConfig cluster = loaded(load(Optional.of(CONFIG_DIR.resolve("config.yaml")), env)).config();
        assertFalse(cluster.dialects().conversations().allowWithoutClaim());
        assertTrue(SecurityWarnings.of(cluster).stream().noneMatch(w -> w.contains("conversations")));
    }
}
