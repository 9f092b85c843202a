package io.relaymesh.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class RealServicesTest {

    @Test
    void sharedRedis_answersPing(RedisServer redis) {
        assertTrue(redis.answersPing(), redis + " did not answer PING");
        assertEquals(redis.host() + ":" + redis.port(), redis.address());
    }

    @Test
    void sharedRedis_isOneInstanceForParametersAndAccessor(RedisServer redis) {
        assertSame(redis, RealServices.redis());
    }

    @Test
    void sharedRedis_restartsOnSamePort_whenManaged(RedisServer redis) {
        if (!redis.isManaged()) {
            assertThrows(UnsupportedOperationException.class, redis::stop, "an external Redis must refuse to stop");
            return;
        }
        int port = redis.port();

        redis.stop();
        assertFalse(Probes.accepts(redis.host(), port), "the port must refuse connections while Redis is stopped");
        redis.start();

        assertEquals(port, redis.port());
        assertTrue(redis.answersPing(), "Redis must answer PING on the same port after a restart");
    }

    @Test
    void dedicatedRedis_isAnotherServer_andRestartsOnSamePort() {
        RedisServer dedicated = RealServices.newRedis();
        try {
            assertTrue(dedicated.isManaged());
            assertTrue(dedicated.port() != RealServices.redis().port() || !dedicated.host().equals(RealServices.redis().host()));
            int port = dedicated.port();

            dedicated.stop();
            assertFalse(dedicated.answersPing());
            assertFalse(Probes.accepts(dedicated.host(), port));
            dedicated.stop();
            dedicated.start();
            dedicated.start();

            assertEquals(port, dedicated.port());
            assertTrue(dedicated.answersPing());
            assertTrue(RealServices.redis().answersPing(), "the shared Redis must not notice");
        } finally {
            dedicated.close();
        }
        assertFalse(Probes.accepts(dedicated.host(), dedicated.port()), "a closed Redis must be gone");
        assertThrows(IllegalStateException.class, dedicated::start, "a closed Redis must not start again");
    }

    @Test
    void sharedRedis_cannotBeClosedByATest(RedisServer redis) {
        assertThrows(IllegalStateException.class, redis::close);
        assertTrue(redis.answersPing());
    }

    @Test
    void sharedNats_acceptsConnections_withJetStream(NatsServer nats) {
        assertTrue(Probes.accepts(nats.host(), nats.port()), nats + " refused a connection");
        if (nats.isManaged()) {
            assertTrue(nats.isReady(), "a nats-server started here must run JetStream");
            assertEquals("nats://" + nats.host() + ":" + nats.port(), nats.url());
        }
        assertSame(nats, RealServices.nats());
    }

    @Test
    void dedicatedNats_restartsOnSamePort() {
        NatsServer dedicated = RealServices.newNats();
        try {
            int port = dedicated.port();
            assertNotNull(Probes.natsInfo(dedicated.host(), port));

            dedicated.stop();
            assertFalse(Probes.accepts(dedicated.host(), port));
            dedicated.start();

            assertEquals(port, dedicated.port());
            assertTrue(dedicated.isReady());
        } finally {
            dedicated.close();
        }
    }
}
