package io.relaymesh.adapters.nats;

import io.relaymesh.domain.error.PortUnavailableException;
import io.relaymesh.testkit.NatsServer;
import io.relaymesh.testkit.RealServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServices.class)
class NatsConnectionsIT {

    @Test
    void withoutRetry_anUnreachableServerIsPortUnavailableAtOnce() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        NatsSettings settings = NatsSettings.builder("nats://127.0.0.1:" + port).retryOnFailedConnect(false)
                .connectTimeout(Duration.ofSeconds(1)).build();

        PortUnavailableException error = assertThrows(PortUnavailableException.class,
                () -> NatsConnections.connect(settings));

        assertEquals("nats", error.port());
    }

    @Test
    void withRetry_connectWaitsForTheServerToComeUp_andCloseDrains() throws Exception {
        NatsServer server = RealServices.newNats();
        try {
            server.stop();
            NatsSettings settings = NatsSettings.builder(server.url()).reconnectWait(Duration.ofMillis(200))
                    .connectTimeout(Duration.ofSeconds(1)).drainTimeout(Duration.ofSeconds(2)).build();
            CompletableFuture<NatsConnections> connecting = CompletableFuture.supplyAsync(
                    () -> NatsConnections.connect(settings));
            Thread.sleep(800);
            assertFalse(connecting.isDone(), "still waiting while the server is down");

            server.start();
            NatsConnections connections = connecting.get(15, TimeUnit.SECONDS);

            assertTrue(connections.isConnected());
            connections.close();
            assertFalse(connections.isConnected());
            assertTrue(connections.isClosed());
        } finally {
            server.close();
        }
    }
}
