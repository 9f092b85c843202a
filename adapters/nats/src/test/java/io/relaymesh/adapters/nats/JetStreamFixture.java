package io.relaymesh.adapters.nats;

import io.relaymesh.testkit.PrimaryEvents;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.relaymesh.domain.port.EventSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the JetStream integration tests share: a plain jnats connection to publish anything and
 * inspect the server, settings tuned for quick tests, and the adapter objects a test opens (closed
 * in reverse order by {@link #close()}).
 */
final class JetStreamFixture implements AutoCloseable {
    static final String STREAM = "it_stream";
    static final String CONSUMER = "it_fanout";

    final String url;
    final Connection raw;
    final JetStream js;
    final JetStreamManagement jsm;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    JetStreamFixture(String url) throws IOException, InterruptedException {
        this.url = url;
        this.raw = Nats.connect(Options.builder().server(url).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new ErrorListener() {
                }).build());
        this.js = raw.jetStream();
        this.jsm = raw.jetStreamManagement();
    }

    /** Settings for tests: short pulls and reconnects so failures show quickly. */
    NatsSettings.Builder settings() {
        return NatsSettings.builder(url)
                .streamName(STREAM)
                .consumerName(CONSUMER)
                .pullExpiry(Duration.ofSeconds(1))
                .reconnectWait(Duration.ofMillis(200))
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(2))
                .drainTimeout(Duration.ofSeconds(3))
                .nakBackoff(List.of(Duration.ofMillis(200)));
    }

    /** Removes every stream so each test starts from an empty server (streams may not share subjects). */
    void deleteAllStreams() throws IOException, JetStreamApiException {
        for (String name : jsm.getStreamNames()) {
            jsm.deleteStream(name);
        }
    }

    NatsConnections connect(NatsSettings settings) {
        return track(NatsConnections.connect(settings));
    }

    /** One "pod": its own connection, provisioning, event source started with {@code handler}. */
    Pod pod(NatsSettings settings, Consumer<EventSource.Inbound> handler) {
        NatsConnections connections = connect(settings);
        JetStreamProvisioner provisioner = new JetStreamProvisioner(connections.management(), settings, PrimaryEvents.BINDINGS);
        provisioner.provision();
        JetStreamEventSource source = track(new JetStreamEventSource(connections, provisioner));
        source.start(handler);
        return new Pod(connections, provisioner, source);
    }

    record Pod(NatsConnections connections, JetStreamProvisioner provisioner, JetStreamEventSource source) {
    }

    <T extends AutoCloseable> T track(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    PublishAck publishRaw(String subject, String payload, Headers headers) throws Exception {
        return js.publish(subject, headers, payload.getBytes(StandardCharsets.UTF_8));
    }

    ConsumerInfo consumer(ConsumerKind kind) throws IOException, JetStreamApiException {
        return jsm.getConsumerInfo(STREAM, kind.durableName(CONSUMER));
    }

    @Override
    public void close() {
        try {
            while (!opened.isEmpty()) {
                opened.pop().close();
            }
            raw.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("closing the test's NATS objects failed", e);
        }
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * A handler that records every delivery, then applies a behaviour (ack by default). Thread-safe.
     */
    static final class Recorder implements Consumer<EventSource.Inbound> {
        record Delivery(EventSource.Inbound inbound, long atNanos, Thread thread) {
            String id() {
                return inbound.envelope().id();
            }
        }

        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        private volatile Consumer<EventSource.Inbound> behaviour = EventSource.Inbound::ack;

        Recorder behave(Consumer<EventSource.Inbound> value) {
            behaviour = value;
            return this;
        }

        @Override
        public void accept(EventSource.Inbound inbound) {
            deliveries.add(new Delivery(inbound, System.nanoTime(), Thread.currentThread()));
            behaviour.accept(inbound);
        }

        Delivery next(Duration timeout) throws InterruptedException {
            Delivery delivery = deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (delivery == null) {
                fail("no delivery within " + timeout);
            }
            return delivery;
        }

        /** Fails if anything is delivered within {@code quiet}. */
        void expectNothing(Duration quiet) throws InterruptedException {
            Delivery delivery = deliveries.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (delivery != null) {
                fail("unexpected delivery of " + delivery.id() + " on " + delivery.inbound().envelope().subject());
            }
        }
    }
}
