package io.relaymesh.bootstrap.config;

import static io.relaymesh.bootstrap.config.TestConfigs.loaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relaymesh.domain.model.PodId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodIdentityTest {

    private static ServerConfig serverWith(PodIdentity.Host host, Map<String, String> env) {
        return loaded(new ConfigLoader(() -> host).read(Optional.empty(), env)).config().server();
    }

    @Test
    void hostNameWithDots_becomesAPodIdTheDomainAccepts() {
        ServerConfig server = serverWith(new PodIdentity.Host("web.prod:1 x", "10.1.2.3"), Map.of());

        assertEquals("web-prod-1-x", server.podId());
        assertEquals("web-prod-1-x", new PodId(server.podId()).value());
    }

    @Test
    void configuredPodId_isSanitizedWithANote() {
        var loaded = loaded(new ConfigLoader(() -> TestConfigs.HOST)
                .read(Optional.empty(), Map.of("RELAYMESH_SERVER_POD_ID", "pod.a/1")));

        assertEquals("pod-a-1", loaded.config().server().podId());
        assertTrue(loaded.notes().contains("server.pod_id: \"pod.a/1\" sanitized to \"pod-a-1\""
                + " (only A-Z, a-z, 0-9, '_' and '-' are kept)"), loaded.notes()::toString);
    }

    @Test
    void veryLongHostName_isCutToTheLongestAcceptedId() {
        ServerConfig server = serverWith(new PodIdentity.Host("h".repeat(300), "10.1.2.3"), Map.of());

        assertEquals(128, server.podId().length());
    }

    @Test
    void emptyHostName_fallsBackToAFixedId() {
        assertEquals("relaymesh", serverWith(new PodIdentity.Host("", "10.1.2.3"), Map.of()).podId());
    }

    @Test
    void advertiseAddress_usesTheGrpcPort_andBracketsIpv6() {
        ServerConfig server = serverWith(new PodIdentity.Host("h", "fd00::7"),
                Map.of("RELAYMESH_SERVER_GRPC_PORT", "6000"));

        assertEquals("[fd00::7]:6000", server.grpcAdvertiseAddress());
    }

    @Test
    void configuredValues_areUsedWithoutLookingTheHostUp() {
        ServerConfig server = serverWith(null, Map.of(
                "RELAYMESH_SERVER_POD_ID", "pod-b",
                "RELAYMESH_SERVER_GRPC_ADVERTISE_ADDRESS", "pod-b.relaymesh:50051"));

        assertEquals("pod-b", server.podId());
        assertEquals("pod-b.relaymesh:50051", server.grpcAdvertiseAddress());
    }

    @Test
    void automaticConnectionCap_followsTheOpenFileLimit_andAnExplicitCapWins() {
        ServerConfig automatic = serverWith(TestConfigs.HOST, Map.of());
        ServerConfig explicit = serverWith(TestConfigs.HOST, Map.of("RELAYMESH_SERVER_MAX_CONNECTIONS", "500"));

        assertEquals(65280 - 65280 / 50, automatic.effectiveMaxConnections(65536));
        assertEquals(19_350, automatic.effectiveMaxConnections(20_000), "19,000 sockets fit under this machine's 20,000 files");
        assertEquals(ServerConfig.FALLBACK_MAX_CONNECTIONS, automatic.effectiveMaxConnections(-1));
        assertEquals(1, automatic.effectiveMaxConnections(100));
        assertEquals(500, explicit.effectiveMaxConnections(65536));
        assertEquals(344 - 344 / 50, explicit.effectiveMaxConnections(600),
                "an explicit cap above what the file limit allows is clamped");
        assertEquals(500, explicit.effectiveMaxConnections(-1));
    }

    @Test
    void realHostLookup_givesAUsableIdentity() {
        PodIdentity.Host host = PodIdentity.Host.local();

        assertFalse(host.address().isEmpty());
        new PodId(PodIdentity.sanitize(host.name()));
    }
}
