package io.relaymesh.bootstrap.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 15: {@code dialects.topics.*}, its defaults, the file and the RELAYMESH_DIALECTS_TOPICS_* environment. */
class TopicsDialectConfigTest {

    @Test
    void withNothingConfigured_theTopicsDialectHasTheSeedsDefaults() {
        TopicsDialectConfig topics = loaded(load(Optional.empty(), Map.of())).config().dialects().topics();
        assertEquals(TopicsDialectConfig.DEFAULTS, topics);
        assertTrue(topics.enabled());
        assertEquals("/topics/ws", topics.path());
        assertEquals(Duration.ofHours(24), topics.retention());
        assertEquals(1_000_000, topics.maxMessagesPerTopic());
    }

    @Test
    void everyKey_isOverriddenByItsEnvironmentVariable() {
        TopicsDialectConfig topics = loaded(load(Optional.empty(), Map.ofEntries(
                Map.entry("RELAYMESH_DIALECTS_TOPICS_ENABLED", "false"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_PATH", "/pulsar/ws"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_RETENTION_SECONDS", "60"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_MESSAGES_PER_TOPIC", "10"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_PAYLOAD_BYTES", "100"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_BULK_MESSAGES", "5"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_PUBLISH_RATE_PER_SECOND", "7"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_PUBLISH_BURST", "8"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_POLL_TIMEOUT_SECONDS", "9"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_POLL_MESSAGES", "11"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_REPLAY_LIMIT", "0"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_TOPICS_PER_CLIENT", "3"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_MAX_ACKS_PER_SECOND", "4"),
                Map.entry("RELAYMESH_DIALECTS_TOPICS_STORE_PATH", "/tmp/t.db")))).config().dialects().topics();
        assertEquals(new TopicsDialectConfig(false, "/pulsar/ws", Duration.ofSeconds(60), 10, 100, 5, 7, 8,
                Duration.ofSeconds(9), 11, 0, 3, 4, "/tmp/t.db"), topics);
    }

    @Test
    void theFileSetsThem_andBadValuesAreRejectedByName(@TempDir Path dir) {
        RelaymeshConfig config = loaded(load(Optional.of(TestConfigs.write(dir, """
                dialects:
                  topics:
                    retention_seconds: 120
                    enabled: false
                """)), Map.of())).config();
        assertEquals(Duration.ofSeconds(120), config.dialects().topics().retention());
        assertFalse(config.dialects().topics().enabled());

        List<String> problems = rejected(load(Optional.empty(), Map.of("RELAYMESH_DIALECTS_TOPICS_PATH", "/ws",
                "RELAYMESH_DIALECTS_TOPICS_RETENTION_SECONDS", "0", "RELAYMESH_DIALECTS_TOPICS_STORE_PATH", " ")))
                .problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("dialects.topics.path")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("dialects.topics.retention_seconds")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("dialects.topics.store_path")), problems.toString());
    }
}
