package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.AUTH_ENV;
import static io.relaymesh.bootstrap.config.TestConfigs.load;
import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static io.relaymesh.bootstrap.config.TestConfigs.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code dialects.mailbox.*}: defaults, the environment, the shipped files and what is refused. */
class MailboxDialectConfigTest {

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(AUTH_ENV);
        env.putAll(extra);
        return env;
    }

    @Test
    void defaults_areTheSeedsAndSafe() {
        MailboxDialectConfig mailbox = loaded(load(Optional.empty(), env(Map.of()))).config().dialects().mailbox();
        assertEquals(MailboxDialectConfig.DEFAULTS, mailbox);
        assertEquals(604_800, mailbox.maxTtlSeconds());
        assertEquals(Duration.ofSeconds(30), mailbox.sweepInterval());
        assertTrue(mailbox.requireToken());
    }

    @Test
    void everyKey_isOverriddenByItsEnvironmentVariable() {
        MailboxDialectConfig mailbox = loaded(load(Optional.empty(), env(Map.of(
                "RELAYMESH_DIALECTS_MAILBOX_ENABLED", "false",
                "RELAYMESH_DIALECTS_MAILBOX_PATH", "/relay/ws",
                "RELAYMESH_DIALECTS_MAILBOX_MAX_TTL_SECONDS", "60",
                "RELAYMESH_DIALECTS_MAILBOX_SWEEP_INTERVAL_SECONDS", "5",
                "RELAYMESH_DIALECTS_MAILBOX_STORE_PATH", "/var/lib/relay.db",
                "RELAYMESH_DIALECTS_MAILBOX_REQUIRE_TOKEN", "false",
                "RELAYMESH_DIALECTS_MAILBOX_MAX_PAYLOAD_BYTES", "100",
                "RELAYMESH_DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT", "7",
                "RELAYMESH_DIALECTS_MAILBOX_MAX_PULL_LIMIT", "9")))).config().dialects().mailbox();
        assertEquals(new MailboxDialectConfig(false, "/relay/ws", 60, Duration.ofSeconds(5), "/var/lib/relay.db",
                false, 100, 7, 9), mailbox);
    }

    @Test
    void badValues_areRefusedNamingTheKey() {
        List<String> problems = rejected(load(Optional.empty(), env(Map.of(
                "RELAYMESH_DIALECTS_MAILBOX_PATH", "/ws",
                "RELAYMESH_DIALECTS_MAILBOX_MAX_TTL_SECONDS", "0",
                "RELAYMESH_DIALECTS_MAILBOX_STORE_PATH", "",
                "RELAYMESH_DIALECTS_MAILBOX_DEFAULT_PULL_LIMIT", "600")))).problems();
        String all = String.join("\n", problems);
        assertTrue(all.contains("dialects.mailbox.path"), all);
        assertTrue(all.contains("dialects.mailbox.max_ttl_seconds"), all);
        assertTrue(all.contains("dialects.mailbox.store_path"), all);
        assertTrue(all.contains("dialects.mailbox.default_pull_limit"), all);
    }

    @Test
    void theStandaloneFile_keepsSeedClientsWorkingWithAWarning_theClusterFileRequiresATokenAndWarnsNothing() {
        Path dir = Path.of("..", "config");
        RelaymeshConfig standalone = loaded(load(Optional.of(dir.resolve("standalone.yaml")), Map.of())).config();
        assertFalse(standalone.dialects().mailbox().requireToken());
        assertEquals("./data/mailbox.db", standalone.dialects().mailbox().storePath());
        assertTrue(SecurityWarnings.of(standalone).stream().anyMatch(w -> w.startsWith("dialects.mailbox.require_token")));

        RelaymeshConfig cluster = loaded(load(Optional.of(dir.resolve("config.yaml")), env(Map.of(
                "RELAYMESH_SERVER_CLUSTER_SECRET", TestConfigs.CLUSTER_SECRET)))).config();
        assertTrue(cluster.dialects().mailbox().requireToken());
        assertTrue(SecurityWarnings.of(cluster).stream().noneMatch(w -> w.startsWith("dialects.mailbox")));
    }
}
