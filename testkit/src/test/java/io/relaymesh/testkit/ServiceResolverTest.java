package io.relaymesh.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceResolverTest {
    /** A search path with no server binaries and a Docker endpoint nobody listens on. */
    private static final Binaries NO_BINARIES = new Binaries(List.of(Path.of("/nonexistent/relaymesh-testkit")));
    private static final Map<String, String> NO_DOCKER = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");

    @Test
    void noAddressAndNoBinary_failsWithInstallHintForRedis() {
        ServiceResolver resolver = new ServiceResolver(NO_DOCKER, NO_BINARIES);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> resolver.redis(false));

        assertTrue(failure.getMessage().startsWith(
                "no Redis for tests: set TEST_REDIS_ADDRESS or install redis-server (apt-get install -y redis-server)"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("no Docker engine is reachable"), failure.getMessage());
    }

    @Test
    void noUrlAndNoBinary_failsWithInstallHintForNats() {
        ServiceResolver resolver = new ServiceResolver(NO_DOCKER, NO_BINARIES);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> resolver.nats(false));

        assertTrue(failure.getMessage().startsWith(
                "no NATS for tests: set TEST_NATS_URL or install nats-server (apt-get install -y nats-server)"),
                failure.getMessage());
    }

    @Test
    void givenAddress_isUsedAsExternalServer_thatCannotBeStopped() {
        RedisServer running = RealServices.redis();
        ServiceResolver resolver = new ServiceResolver(Map.of(RealServices.REDIS_ADDRESS_ENV, running.address()), NO_BINARIES);

        RedisServer external = resolver.redis(false);

        assertEquals(running.address(), external.address());
        assertFalse(external.isManaged());
        assertTrue(external.answersPing());
        assertThrows(UnsupportedOperationException.class, external::stop);
        assertThrows(UnsupportedOperationException.class, external::start);
    }

    @Test
    void givenNatsUrl_isUsedAsExternalServer() {
        NatsServer running = RealServices.nats();
        ServiceResolver resolver = new ServiceResolver(Map.of(RealServices.NATS_URL_ENV, running.url()), NO_BINARIES);

        NatsServer external = resolver.nats(false);

        assertEquals(running.url(), external.url());
        assertEquals(running.port(), external.port());
        assertThrows(UnsupportedOperationException.class, external::stop);
    }

    @Test
    void malformedAddress_failsNamingTheVariable() {
        ServiceResolver resolver = new ServiceResolver(Map.of(RealServices.REDIS_ADDRESS_ENV, "::not an address::"), NO_BINARIES);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> resolver.redis(false));

        assertTrue(failure.getMessage().startsWith("TEST_REDIS_ADDRESS=::not an address::"), failure.getMessage());
    }

    @Test
    void hostPort_acceptsPlainAndSchemeForms() {
        assertEquals(new ServiceResolver.HostPort("10.1.2.3", 6380), ServiceResolver.HostPort.parse("X", "10.1.2.3:6380", 6379));
        assertEquals(new ServiceResolver.HostPort("redis", 6379), ServiceResolver.HostPort.parse("X", "redis", 6379));
        assertEquals(new ServiceResolver.HostPort("nats", 4333), ServiceResolver.HostPort.parse("X", "nats://nats:4333", 4222));
    }

    @Test
    void dedicatedServer_ignoresGivenAddress_andNeedsTheBinary() {
        ServiceResolver resolver = new ServiceResolver(Map.of(RealServices.REDIS_ADDRESS_ENV, "127.0.0.1:1"), NO_BINARIES);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> resolver.redis(true));

        assertTrue(failure.getMessage().contains("a dedicated server needs the binary"), failure.getMessage());
    }
}
